package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {

    static Result time(String benchmark, String subject, int threads, double... nanos) {
        return new Result(benchmark, "avgt", threads, 1, Map.of(), "ns/op", Double.NaN, Double.NaN,
                new double[][] {nanos}, new double[0][], "op", subject, null, false, List.of(), "1 fork");
    }

    static Result hitRatio(String trace, String capacity, String subject, double ratio) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("trace", trace);
        params.put("capacity", capacity);
        return new Result("dev.permafrost.jmh.trace.TraceSuite.hitRatio", "hit ratio", 1, 1, params, "ratio", ratio,
                Double.NaN, new double[][] {{ratio}}, new double[0][], "hit ratio", subject, null, true, List.of(), "");
    }

    private static Targets.Target target(String text) {
        return Targets.ALL.stream().filter(t -> t.text().startsWith(text)).findFirst().orElseThrow();
    }

    private static final String REFCOUNT = "dev.permafrost.jmh.refcount.RefCountBenchmark.";

    @Test
    void aRatioWithinItsThresholdHolds() {
        List<Result> results = List.of(time(REFCOUNT + "headerRead", "plain read", 1, 2.0, 2.0, 2.2),
                time(REFCOUNT + "immortalRetainRelease", "Permafrost", 1, 2.5, 2.4, 9.0));
        Targets.Evaluation e = Targets.evaluate(target("immortal retain+release"), results);
        assertThat(e.value()).isCloseTo(1.25, within(1e-9)); // medians 2.5 / 2.0
        assertThat(e.verdict()).isEqualTo(Targets.Verdict.HOLDS);
        assertThat(e.valueText()).isEqualTo("1.250×");
    }

    @Test
    void aRatioBeyondItsThresholdIsMissed() {
        List<Result> results = List.of(time(REFCOUNT + "headerRead", "plain read", 1, 2.0),
                time(REFCOUNT + "immortalRetainRelease", "Permafrost", 1, 2.8));
        Targets.Evaluation e = Targets.evaluate(target("immortal retain+release"), results);
        assertThat(e.value()).isCloseTo(1.4, within(1e-9));
        assertThat(e.verdict()).isEqualTo(Targets.Verdict.MISSED);
    }

    @Test
    void scalingIsTwiceTheOneThreadTimeOverTheTwoThreadTime() {
        String cache = "dev.permafrost.jmh.cache.CacheBenchmark.";
        List<Result> results = List.of(time(cache + "frozenGetEntryHit", "Permafrost", 1, 20),
                time(cache + "frozenGetEntryHitTwoThreads", "Permafrost", 2, 25));
        Targets.Evaluation e = Targets.evaluate(target("two threads doing frozen hits"), results);
        assertThat(e.value()).isCloseTo(1.6, within(1e-9));
        assertThat(e.verdict()).isEqualTo(Targets.Verdict.MISSED);
    }

    @Test
    void aTargetWithoutResultsIsNotMeasuredAndSaysWhy() {
        Targets.Evaluation e = Targets.evaluate(target("immortal retain+release"), List.of());
        assertThat(e.verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
        assertThat(e.note()).contains("no result of RefCountBenchmark");
        assertThat(Targets.evaluateAll(List.of())).hasSize(Targets.ALL.size())
                .allMatch(x -> x.verdict() == Targets.Verdict.NOT_MEASURED);
    }

    @Test
    void hitRatioCellsAreComparedInPercentagePoints() {
        List<Result> results = List.of(
                hitRatio("web07", "500", "Permafrost", 0.50), hitRatio("web07", "500", "Caffeine", 0.48),
                hitRatio("web07", "2000", "Permafrost", 0.58), hitRatio("web07", "2000", "Caffeine", 0.584),
                hitRatio("web07", "2000", "LRU", 0.60));
        Targets.Evaluation worst = Targets.evaluate(target("hit ratio of the overlay: no cell"), results);
        assertThat(worst.value()).isCloseTo(-0.4, within(1e-9));
        assertThat(worst.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(worst.note()).contains("capacity=2000");
        Targets.Evaluation mean = Targets.evaluate(target("hit ratio of the overlay: at least 0.5"), results);
        assertThat(mean.value()).isCloseTo(0.8, within(1e-9)); // (+2.0 − 0.4) / 2
        assertThat(mean.verdict()).isEqualTo(Targets.Verdict.HOLDS);
    }

    @Test
    void aValueTargetConvertsTimesAndTakesTheWorstCell() {
        Result tenMillion = new Result("dev.permafrost.jmh.startup.StartupSuite.permafrostOpenAndFirstHit", "ss", 1, 5,
                Map.of("entries", "10000000"), "ms", Double.NaN, Double.NaN, new double[][] {{40}, {60}, {45}},
                new double[0][], "open + first hit", "Permafrost", null, false, List.of(), "5 JVMs");
        Targets.Evaluation e = Targets.evaluate(target("a reader opens a 10,000,000-entry"), List.of(tenMillion));
        assertThat(e.value()).isEqualTo(45.0);
        assertThat(e.verdict()).isEqualTo(Targets.Verdict.HOLDS);
        assertThat(target("a reader opens").thresholdText()).isEqualTo("< 50 ms");
        assertThat(target("faster than Chronicle").thresholdText()).isEqualTo("≤ 0.3333×");
    }

    @Test
    void everyIssueHasItsTargets() {
        assertThat(Targets.ALL).extracting(Targets.Target::issue).contains(2, 3, 4, 5, 12);
    }
}
