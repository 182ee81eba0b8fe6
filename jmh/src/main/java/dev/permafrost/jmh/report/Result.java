package dev.permafrost.jmh.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One result of a suite: one benchmark at one thread count and one set of parameters, as JMH's
 * JSON format ({@code -rf json}) holds it, or as a non-JMH suite writes it in the same format.
 *
 * @param benchmark   the full name, {@code package.Class.method}
 * @param mode        JMH's mode ({@code avgt}, {@code thrpt}, {@code ss}, {@code sample}) or a
 *                    suite's own ({@code "hit ratio"})
 * @param threads     how many threads ran it
 * @param forks       how many forked JVMs (1 for a suite that does not fork)
 * @param params      JMH's parameters, by name, in the order JMH wrote them
 * @param unit        the unit of the score and of every sample ({@code ns/op}, {@code ratio}, ...)
 * @param score       JMH's score: the mean of the samples
 * @param scoreError  half the width of JMH's 99.9% confidence interval of the mean, {@code NaN} if none
 * @param rawData     the samples: per fork, every measurement iteration's value
 * @param cpuData     the same samples on the benchmark threads' CPU clock ({@code ThreadCpu}), or empty
 * @param operation   what is measured ({@code @Compared.operation}), or {@code null} if not annotated
 * @param subject     whose implementation ({@code @Compared.subject}), or {@code null} if not annotated
 * @param error       the error the suite recorded instead of a measurement, or {@code null}
 * @param higherIsBetter whether a larger value is better (throughput, hit ratio) rather than a smaller one
 * @param jvmArgs     the forked JVM's flags as JMH recorded them (empty if unknown)
 * @param settings    forks, warm-up and measurement in words, for the page
 */
public record Result(String benchmark, String mode, int threads, int forks, Map<String, String> params,
                     String unit, double score, double scoreError, double[][] rawData, double[][] cpuData,
                     String operation, String subject, String error, boolean higherIsBetter,
                     List<String> jvmArgs, String settings) {

    /** {@return the simple name of the benchmark's class ({@code RefCountBenchmark})} */
    public String simpleClass() {
        String owner = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** {@return the benchmark's method name} */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@return every sample, fork after fork} */
    public double[] samples() {
        return Arrays.stream(rawData).flatMapToDouble(Arrays::stream).toArray();
    }

    /** {@return every CPU-clock sample, fork after fork; empty if there are none} */
    public double[] cpuSamples() {
        return Arrays.stream(cpuData).flatMapToDouble(Arrays::stream).toArray();
    }

    /** {@return the median of every sample of every fork, in {@link #unit()}; {@code NaN} if none} */
    public double median() {
        return Stats.median(samples());
    }

    /** {@return the median of every CPU-clock sample, {@code NaN} if there are none} */
    public double cpuMedian() {
        return Stats.median(cpuSamples());
    }

    /** {@return each fork's median, in fork order} */
    public double[] forkMedians() {
        return Arrays.stream(rawData).mapToDouble(Stats::median).toArray();
    }

    /** {@return whether this result is a measurement (no error, at least one sample)} */
    public boolean measured() {
        return error == null && samples().length > 0;
    }

    /** {@return the parameters as {@code name=value}, space-separated; empty if none} */
    public String paramsText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /**
     * Converts a value of this result to a scale on which results of different modes compare:
     * time units to nanoseconds per operation per thread (JMH's throughput is that of all threads
     * together), any other unit unchanged.
     *
     * @param value a value in {@link #unit()}
     * @return the value on the comparable scale, in {@link #comparableUnit()}
     */
    public double comparable(double value) {
        String[] parts = unit.split("/");
        if (parts.length == 2 && parts[1].equals("op") && nanosIn(parts[0]) > 0) {
            return value * nanosIn(parts[0]);
        }
        if (parts.length == 2 && parts[0].equals("ops") && nanosIn(parts[1]) > 0) {
            return threads * nanosIn(parts[1]) / value;
        }
        double nanos = nanosIn(unit);
        return nanos > 0 ? value * nanos : value;
    }

    /** {@return the unit of {@link #comparable}: {@code ns/op} for time per operation or throughput, {@code ns} for a time, else {@link #unit()}} */
    public String comparableUnit() {
        String[] parts = unit.split("/");
        if (parts.length == 2 && (parts[1].equals("op") && nanosIn(parts[0]) > 0 || parts[0].equals("ops") && nanosIn(parts[1]) > 0)) {
            return "ns/op";
        }
        return nanosIn(unit) > 0 ? "ns" : unit;
    }

    /** {@return whether a larger {@link #comparable} value is better: throughput turns into time per operation} */
    public boolean comparableHigherIsBetter() {
        return comparableUnit().equals("ns/op") || comparableUnit().equals("ns") ? false : higherIsBetter;
    }

    /** {@return nanoseconds in one {@code timeUnit}, or -1 if it is not a time unit} */
    static double nanosIn(String timeUnit) {
        return switch (timeUnit.toLowerCase(Locale.ROOT)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> -1;
        };
    }
}
