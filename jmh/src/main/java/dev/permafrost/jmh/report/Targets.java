package dev.permafrost.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every target the store (2), typed-objects (3), workers (4), heap-dump (5) and cache (12) issues
 * state, each with how the page computes it from the suites' results: which benchmarks (by class
 * simple name, method, parameters and subject, so a benchmark keeps its target when it moves
 * between packages), a ratio of medians or a value, the threshold and its direction. A target no
 * suite measures stays in the list with the reason, so the page shows it as not measured instead
 * of leaving it out.
 *
 * <p>Ratios are of medians on the comparable scale of {@link Result#comparable} (time per
 * operation per thread, wall clock); a CPU-clock ratio is shown beside where both sides have one.
 */
public final class Targets {

    private Targets() {
    }

    /** A target's outcome. */
    public enum Verdict {
        /** Measured and within the threshold. */
        HOLDS("holds"),
        /** Measured and outside the threshold. */
        MISSED("MISSED"),
        /** Measured; the issue asks only that it be shown (no threshold). */
        SHOWN("shown"),
        /** Not among the results (not run, failed, or measured elsewhere). */
        NOT_MEASURED("not measured");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** {@return the verdict as the page writes it} */
        public String text() {
            return text;
        }
    }

    /** How a measured value compares with a target's threshold. */
    public enum Bound {
        /** value ≤ threshold */
        AT_MOST("≤"),
        /** value ≥ threshold */
        AT_LEAST("≥"),
        /** value &lt; threshold */
        BELOW("<"),
        /** no threshold: shown */
        NONE("");

        private final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double value, double threshold) {
            return switch (this) {
                case AT_MOST -> value <= threshold;
                case AT_LEAST -> value >= threshold;
                case BELOW -> value < threshold;
                case NONE -> true;
            };
        }

        /** {@return whether a larger value is the worse one} */
        boolean largerIsWorse() {
            return this != AT_LEAST;
        }
    }

    /**
     * Which results a target reads.
     *
     * @param simpleClass the benchmark class's simple name
     * @param method      the benchmark method (or a non-JMH suite's measurement name)
     * @param params      parameters the result must have (others may be present too)
     * @param subject     the result's subject, or {@code null} for any
     */
    public record Selector(String simpleClass, String method, Map<String, String> params, String subject) {
        /** {@return a selector of one benchmark method, any parameters and subject} */
        static Selector of(String simpleClass, String method) {
            return new Selector(simpleClass, method, Map.of(), null);
        }

        Selector with(String param, String value) {
            Map<String, String> more = new LinkedHashMap<>(params);
            more.put(param, value);
            return new Selector(simpleClass, method, Map.copyOf(more), subject);
        }

        Selector subject(String who) {
            return new Selector(simpleClass, method, params, who);
        }

        boolean matches(Result r) {
            return r.simpleClass().equals(simpleClass) && r.method().equals(method)
                    && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey())))
                    && (subject == null || subject.equals(r.subject()));
        }

        String describe() {
            String text = simpleClass + "." + method;
            if (!params.isEmpty()) {
                text += " " + params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            }
            return subject == null ? text : text + " [" + subject + "]";
        }
    }

    /** How a target's value is computed. */
    public sealed interface How permits Ratio, Value, CellDifference, Elsewhere {
        /** {@return the computation in words, for the page} */
        String describe();
    }

    /**
     * {@code factor × median(numerator) / median(denominator)}, both on the comparable scale.
     *
     * @param numerator   one result
     * @param denominator one result
     * @param factor      a constant factor (2 turns a 1-thread/2-thread time ratio into a throughput scaling)
     */
    public record Ratio(Selector numerator, Selector denominator, double factor) implements How {
        @Override
        public String describe() {
            return (factor == 1 ? "" : fmt(factor) + " × ") + "`" + numerator.describe() + "` / `" + denominator.describe() + "`";
        }
    }

    /**
     * A median in {@code unit}; where several results match, the worst of them.
     *
     * @param selector the results
     * @param unit     the unit the threshold is in: the results' own, or a time unit (their times convert)
     */
    public record Value(Selector selector, String unit) implements How {
        @Override
        public String describe() {
            return "median of `" + selector.describe() + "` (the worst, where several match)";
        }
    }

    /**
     * Over the cells (parameter sets) of one measurement, {@code scale × (subject − baseline)} per
     * cell; the worst cell or the mean over cells.
     *
     * @param simpleClass the class
     * @param method      the measurement
     * @param subject     the subject measured
     * @param baseline    the subject compared against
     * @param worst       the worst (smallest) cell rather than the mean
     * @param scale       100 turns ratios into percentage points
     */
    public record CellDifference(String simpleClass, String method, String subject, String baseline,
                                 boolean worst, double scale) implements How {
        @Override
        public String describe() {
            return (worst ? "worst cell" : "mean over the cells") + " of " + (scale == 100 ? "100 × " : "")
                    + "(" + subject + " − " + baseline + "), `" + simpleClass + "." + method + "`";
        }
    }

    /**
     * Not measured by any suite.
     *
     * @param where what measures or asserts it instead
     */
    public record Elsewhere(String where) implements How {
        @Override
        public String describe() {
            return where;
        }
    }

    /**
     * One target.
     *
     * @param issue     the issue that states it
     * @param suite     the suite whose results it reads, or {@code null}
     * @param text      the target in the issue's words
     * @param how       how it is computed
     * @param bound     the threshold's direction
     * @param threshold the threshold, in {@code unit}
     * @param unit      the value's unit ({@code "×"}, {@code "ms"}, {@code "points"}, ...)
     */
    public record Target(int issue, String suite, String text, How how, Bound bound, double threshold, String unit) {
        /** {@return the threshold in words, e.g. {@code ≤ 1.3×}} */
        public String thresholdText() {
            return bound == Bound.NONE ? "shown" : bound.symbol + " " + trimmed(threshold) + (unit.equals("×") ? "×" : " " + unit);
        }
    }

    /**
     * A target evaluated against results.
     *
     * @param target  the target
     * @param value   the measured value, {@code NaN} when not measured
     * @param cpu     the same on the CPU clock where both sides have one, else {@code NaN}
     * @param verdict the verdict
     * @param note    what was read, or why it could not be
     */
    public record Evaluation(Target target, double value, double cpu, Verdict verdict, String note) {
        /** {@return the value with its unit, or a dash} */
        public String valueText() {
            if (Double.isNaN(value)) {
                return "–";
            }
            String unit = target.unit();
            return fmt(value) + (unit.equals("×") ? "×" : " " + unit);
        }
    }

    private static final String PF = "Permafrost";
    private static final Selector HEADER_READ = Selector.of("RefCountBenchmark", "headerRead");
    private static final Selector CAFFEINE_HIT = Selector.of("CacheBenchmark", "caffeineGetIfPresentHit");
    private static final Selector FROZEN_HIT = Selector.of("CacheBenchmark", "frozenGetEntryHit");

    /** Every target, in issue order. */
    public static final List<Target> ALL = List.of(
            // issue 2: the store
            new Target(2, "refcount", "immortal retain+release costs at most 1.3× a plain read of the header word",
                    new Ratio(Selector.of("RefCountBenchmark", "immortalRetainRelease"), HEADER_READ, 1),
                    Bound.AT_MOST, 1.3, "×"),
            new Target(2, "refcount", "mortal retain+release, one thread, costs at most 1.2× AtomicLong increment+decrement",
                    new Ratio(Selector.of("RefCountBenchmark", "mortalRetainRelease"),
                            Selector.of("RefCountBenchmark", "atomicIncrementDecrement"), 1),
                    Bound.AT_MOST, 1.2, "×"),
            new Target(2, "refcount", "2 threads on one immortal object: throughput scales (read here as at least 1.5× one thread's)",
                    new Ratio(Selector.of("RefCountBenchmark", "immortalRetainRelease"),
                            Selector.of("RefCountBenchmark", "immortalRetainReleaseTwoThreads"), 2),
                    Bound.AT_LEAST, 1.5, "×"),
            new Target(2, "refcount", "2 threads on one mortal object: allowed to collapse; the benchmark shows it (throughput, 2 threads / 1)",
                    new Ratio(Selector.of("RefCountBenchmark", "mortalRetainRelease"),
                            Selector.of("RefCountBenchmark", "mortalRetainReleaseTwoThreads"), 2),
                    Bound.NONE, Double.NaN, "×"),
            new Target(2, null, "retaining, releasing and reading every object of a frozen store opened copy-on-write copies zero pages",
                    new Elsewhere("asserted by a test from the kernel's accounting (CopyOnWriteAccountingTest)"),
                    Bound.AT_MOST, 0, "pages"),
            // issue 3: typed objects
            new Target(3, "objects", "decoding a stored 8-field record is no slower than a hand-written heap ByteBuffer codec",
                    new Ratio(Selector.of("TypedObjectBenchmark", "decodeStoredRecord"),
                            Selector.of("TypedObjectBenchmark", "decodeHeapByteBufferHandWritten"), 1),
                    Bound.AT_MOST, 1.0, "×"),
            new Target(3, "objects", "reading one int field of a stored object costs at most 2× a plain read of that memory",
                    new Ratio(Selector.of("TypedObjectBenchmark", "readIntFieldAccessor"),
                            Selector.of("TypedObjectBenchmark", "readIntPlainSegment"), 1),
                    Bound.AT_MOST, 2.0, "×"),
            new Target(3, null, "a struct of 4 ints and one 20-character ASCII string costs at most 64 bytes, headers included",
                    new Elsewhere("asserted by a test of the store's layout (store-core)"), Bound.AT_MOST, 64, "B"),
            // issue 4: worker fleets
            new Target(4, "fleet", "frozen: each worker copies 0 bytes of the store after touching every object",
                    new Value(Selector.of("FleetSuite", "permafrostCopiedFrozen").subject(PF), "MiB"),
                    Bound.AT_MOST, 0, "MiB"),
            new Target(4, "fleet", "mortal: each worker copies essentially every page it touched (shown for contrast)",
                    new Value(Selector.of("FleetSuite", "permafrostCopiedMortal").subject(PF), "MiB"),
                    Bound.NONE, Double.NaN, "MiB"),
            new Target(4, null, "attach (open + first lookup) of a 1 GiB frozen store in a worker: under 50 ms",
                    new Elsewhere("scripts/demo --objects 12500000 --workers 1 --mode frozen --json (attach_ms); see History"),
                    Bound.BELOW, 50, "ms"),
            // issue 5: heap-dump
            new Target(5, null, "heap-dump histo and verify of a 1 GiB store read at 1 GB/s or more (warm file)",
                    new Elsewhere("scripts/heap-dump-bench 1024 3; see History"), Bound.AT_LEAST, 1, "GB/s"),
            new Target(5, null, "heap-dump cow of a 1 GiB mapping answers in under a second",
                    new Elsewhere("scripts/heap-dump cow --pid P FILE --json (analysis_ms); see History"), Bound.BELOW, 1, "s"),
            // issue 12: the cache
            new Target(12, "cache", "a frozen hit through getEntry (open, read one byte, close) within 1.2× a Caffeine getIfPresent hit",
                    new Ratio(FROZEN_HIT, CAFFEINE_HIT, 1), Bound.AT_MOST, 1.2, "×"),
            new Target(12, "cache", "getIfPresent of a frozen entry (a heap copy) within 1.5× a Caffeine getIfPresent hit",
                    new Ratio(Selector.of("CacheBenchmark", "frozenGetIfPresentHit"), CAFFEINE_HIT, 1), Bound.AT_MOST, 1.5, "×"),
            new Target(12, "cache", "a miss within 1.2× a Caffeine miss",
                    new Ratio(Selector.of("CacheBenchmark", "frozenGetEntryMiss"),
                            Selector.of("CacheBenchmark", "caffeineGetIfPresentMiss"), 1), Bound.AT_MOST, 1.2, "×"),
            new Target(12, "cache", "an overlay hit within 2× a Caffeine getIfPresent hit",
                    new Ratio(Selector.of("CacheBenchmark", "overlayGetEntryHit"), CAFFEINE_HIT, 1), Bound.AT_MOST, 2.0, "×"),
            new Target(12, "cache", "faster than Chronicle Map's get by 3× (frozen getEntry hit / Chronicle Map get)",
                    new Ratio(FROZEN_HIT, Selector.of("CacheBenchmark", "chronicleMapGetHit"), 1), Bound.AT_MOST, 1.0 / 3, "×"),
            new Target(12, "cache", "faster than lmdbjava's zero-copy get in a read transaction",
                    new Ratio(FROZEN_HIT, Selector.of("CacheBenchmark", "lmdbGetHit"), 1), Bound.BELOW, 1.0, "×"),
            new Target(12, "cache", "two threads doing frozen hits reach at least 1.8× one thread's throughput",
                    new Ratio(FROZEN_HIT, Selector.of("CacheBenchmark", "frozenGetEntryHitTwoThreads"), 2),
                    Bound.AT_LEAST, 1.8, "×"),
            new Target(12, "cache", "memory: at most 16 bytes per frozen entry beyond the key and value bytes (file size)",
                    new Value(Selector.of("CacheSuite", "permafrostMemoryPerEntryBeyondKeyAndValue").with("entries", "1000000").subject(PF), "B/entry"),
                    Bound.AT_MOST, 16, "B/entry"),
            new Target(12, "cache", "building: at least 1,000,000 entries a second into a frozen version",
                    new Value(Selector.of("CacheSuite", "permafrostBuildRate").with("entries", "1000000").subject(PF), "entries/s"),
                    Bound.AT_LEAST, 1_000_000, "entries/s"),
            new Target(12, "startup", "a reader opens a 10,000,000-entry version and serves its first hit in under 50 ms",
                    new Value(Selector.of("StartupSuite", "permafrostOpenAndFirstHit").with("entries", "10000000").subject(PF), "ms"),
                    Bound.BELOW, 50, "ms"),
            new Target(12, "trace", "hit ratio of the overlay: no cell more than 0.3 percentage points below Caffeine's",
                    new CellDifference("TraceSuite", "hitRatio", PF, "Caffeine", true, 100),
                    Bound.AT_LEAST, -0.3, "points"),
            new Target(12, "trace", "hit ratio of the overlay: at least 0.5 points above Caffeine's on average over the cells",
                    new CellDifference("TraceSuite", "hitRatio", PF, "Caffeine", false, 100),
                    Bound.AT_LEAST, 0.5, "points"),
            new Target(12, "fleet", "a fleet of 4 workers over a 1 GiB frozen cache copies 0 bytes of the frozen file per worker",
                    new Value(Selector.of("FleetSuite", "permafrostCopiedFrozen").with("workers", "4").subject(PF), "MiB"),
                    Bound.AT_MOST, 0, "MiB"));

    /**
     * Evaluates a target.
     *
     * @param target  the target
     * @param results every suite's results
     * @return its value and verdict
     */
    public static Evaluation evaluate(Target target, List<Result> results) {
        return switch (target.how()) {
            case Elsewhere e -> new Evaluation(target, Double.NaN, Double.NaN, Verdict.NOT_MEASURED, e.where());
            case Ratio r -> ratio(target, r, results);
            case Value v -> value(target, v, results);
            case CellDifference d -> cells(target, d, results);
        };
    }

    /**
     * Evaluates every target.
     *
     * @param results every suite's results
     * @return the evaluations, in the order of {@link #ALL}
     */
    public static List<Evaluation> evaluateAll(List<Result> results) {
        return ALL.stream().map(t -> evaluate(t, results)).toList();
    }

    private static Evaluation verdict(Target target, double value, double cpu, String note) {
        Verdict verdict = target.bound() == Bound.NONE ? Verdict.SHOWN
                : target.bound().holds(value, target.threshold()) ? Verdict.HOLDS : Verdict.MISSED;
        return new Evaluation(target, value, cpu, verdict, note);
    }

    private static Evaluation notMeasured(Target target, String why) {
        return new Evaluation(target, Double.NaN, Double.NaN, Verdict.NOT_MEASURED, why);
    }

    private static Evaluation ratio(Target target, Ratio how, List<Result> results) {
        List<Result> num = results.stream().filter(how.numerator()::matches).toList();
        List<Result> den = results.stream().filter(how.denominator()::matches).toList();
        String problem = single(how.numerator(), num);
        if (problem == null) {
            problem = single(how.denominator(), den);
        }
        if (problem != null) {
            return notMeasured(target, problem);
        }
        Result n = num.get(0);
        Result d = den.get(0);
        if (!n.comparableUnit().equals(d.comparableUnit())) {
            return notMeasured(target, "units differ: " + n.unit() + " and " + d.unit());
        }
        double value = how.factor() * n.comparable(n.median()) / d.comparable(d.median());
        double cpu = how.factor() * n.comparable(n.cpuMedian()) / d.comparable(d.cpuMedian());
        return verdict(target, value, cpu, String.format(Locale.ROOT, "medians %s / %s %s",
                fmt(n.comparable(n.median())), fmt(d.comparable(d.median())), n.comparableUnit()));
    }

    /** {@return why the matching results are not exactly one measurement, or {@code null} if they are} */
    private static String single(Selector selector, List<Result> matching) {
        if (matching.isEmpty()) {
            return "no result of " + selector.describe();
        }
        if (matching.size() > 1) {
            return matching.size() + " results match " + selector.describe() + "; name its parameters";
        }
        Result r = matching.get(0);
        if (r.error() != null) {
            return selector.describe() + " failed: " + r.error();
        }
        return r.measured() ? null : "no samples of " + selector.describe();
    }

    private static Evaluation value(Target target, Value how, List<Result> results) {
        List<Result> matching = results.stream().filter(how.selector()::matches).toList();
        if (matching.isEmpty()) {
            return notMeasured(target, "no result of " + how.selector().describe());
        }
        List<Double> values = new ArrayList<>();
        for (Result r : matching) {
            if (!r.measured()) {
                return notMeasured(target, how.selector().describe() + (r.error() != null ? " failed: " + r.error() : ": no samples"));
            }
            double v;
            if (r.unit().equals(how.unit())) {
                v = r.median();
            } else if (Result.nanosIn(how.unit()) > 0 && r.comparableUnit().equals("ns")) {
                v = r.comparable(r.median()) / Result.nanosIn(how.unit());
            } else {
                return notMeasured(target, how.selector().describe() + " is in " + r.unit() + ", the target in " + how.unit());
            }
            values.add(v);
        }
        boolean largerIsWorse = target.bound().largerIsWorse();
        double worst = values.stream().mapToDouble(Double::doubleValue)
                .reduce(largerIsWorse ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY,
                        largerIsWorse ? Math::max : Math::min);
        return verdict(target, worst, Double.NaN, values.size() == 1 ? "one result"
                : "worst of " + values.size() + " results");
    }

    private static Evaluation cells(Target target, CellDifference how, List<Result> results) {
        Map<String, Result> subject = new LinkedHashMap<>();
        Map<String, Result> baseline = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.simpleClass().equals(how.simpleClass()) && r.method().equals(how.method())) {
                if (how.subject().equals(r.subject())) {
                    subject.put(r.paramsText() + "/" + r.threads(), r);
                } else if (how.baseline().equals(r.subject())) {
                    baseline.put(r.paramsText() + "/" + r.threads(), r);
                }
            }
        }
        List<Double> differences = new ArrayList<>();
        String worstCell = null;
        double worst = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Result> e : subject.entrySet()) {
            Result b = baseline.get(e.getKey());
            if (b == null || !b.measured() || !e.getValue().measured()) {
                continue;
            }
            double difference = how.scale() * (e.getValue().median() - b.median());
            differences.add(difference);
            if (difference < worst) {
                worst = difference;
                worstCell = e.getValue().paramsText();
            }
        }
        if (differences.isEmpty()) {
            return notMeasured(target, "no cell of " + how.simpleClass() + "." + how.method() + " with both "
                    + how.subject() + " and " + how.baseline());
        }
        double value = how.worst() ? worst
                : differences.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String note = how.worst() ? "worst of " + differences.size() + " cells: " + worstCell
                : "mean of " + differences.size() + " cells";
        return verdict(target, value, Double.NaN, note);
    }

    /** {@return a number with about four significant digits, no exponent for ordinary magnitudes} */
    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        if (abs != 0 && (abs >= 1e7 || abs < 1e-3)) {
            return String.format(Locale.ROOT, "%.3g", value);
        }
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, abs >= 1 || abs == 0 ? "%.3f" : "%.4f", value);
    }

    /** {@return {@link #fmt} without trailing zeros: thresholds as the issues write them} */
    static String trimmed(double value) {
        String text = fmt(value);
        return text.contains(".") && !text.contains("e") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
