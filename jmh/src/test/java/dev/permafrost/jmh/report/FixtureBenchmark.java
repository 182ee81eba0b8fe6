package dev.permafrost.jmh.report;

import dev.permafrost.jmh.Compared;

/** Stands in for a benchmark class: the fixture results name its methods, whose annotations the reader finds. */
public class FixtureBenchmark {
    /** Never called: the reader only reads the annotations. */
    public FixtureBenchmark() {
    }

    /** A baseline. */
    @Compared(operation = "read", subject = "plain read")
    public void headerRead() {
    }

    /** Permafrost's side. */
    @Compared(operation = "read", subject = Compared.PERMAFROST)
    public void immortalRetainRelease() {
    }

    /** A second peer. */
    @Compared(operation = "read", subject = "AtomicLong")
    public void atomicIncrementDecrement() {
    }

    /** Not annotated: the page falls back to the method's name. */
    public void unannotated() {
    }
}
