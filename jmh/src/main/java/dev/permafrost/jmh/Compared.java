package dev.permafrost.jmh;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a benchmark method measures, for the results page ({@code docs/benchmarks.md}): its
 * {@link #operation} is a row of its suite's table, and every benchmark of the suite with the same
 * operation (and the same JMH parameters and thread count) is a column of that row, named by its
 * {@link #subject}. The page gives each Permafrost column its ratio to the best peer of the row.
 *
 * <p>Results written by suites that are not JMH (start-up, fleet, trace) carry the same two
 * names as top-level {@code "operation"} and {@code "subject"} fields of each JSON result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Compared {
    /** The subject of Permafrost's own benchmarks. */
    String PERMAFROST = "Permafrost";

    /**
     * Returns what is measured, the same words for Permafrost and its peers.
     *
     * @return the operation, for example {@code "retain+release, immortal"}
     */
    String operation();

    /**
     * Returns whose implementation is measured.
     *
     * @return {@link #PERMAFROST} or the peer's name ({@code "Caffeine"}, {@code "Netty"}, {@code "AtomicLong"}, ...)
     */
    String subject();
}
