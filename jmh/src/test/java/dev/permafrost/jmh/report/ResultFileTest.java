package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
    @TempDir
    Path directory;

    static Path fixture() {
        try {
            return Path.of(ResultFileTest.class.getResource("/report/fixture.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Result> fixtureResults() {
        return ResultFile.read(fixture(), ResultFileTest.class.getClassLoader());
    }

    @Test
    void readsEveryResultWithItsNamesFromTheCompareAnnotation() {
        List<Result> results = fixtureResults();
        assertThat(results).extracting(Result::method)
                .containsExactly("headerRead", "immortalRetainRelease", "atomicIncrementDecrement", "unannotated");
        Result header = results.get(0);
        assertThat(header.simpleClass()).isEqualTo("FixtureBenchmark");
        assertThat(header.operation()).isEqualTo("read");
        assertThat(header.subject()).isEqualTo("plain read");
        assertThat(results.get(1).subject()).isEqualTo("Permafrost");
        assertThat(results.get(3).operation()).isNull();
        assertThat(header.jvmArgs()).containsExactly("--enable-native-access=ALL-UNNAMED", "-Xmx256m");
        assertThat(header.settings()).isEqualTo("2 forks, 1 × 1 s warm-up, 3 × 1 s measurement");
    }

    @Test
    void theMedianIsOfEverySampleOfEveryForkNotJmhsMeanScore() {
        Result header = fixtureResults().get(0);
        assertThat(header.median()).isEqualTo(3.5); // 1 2 3 4 5 9
        assertThat(header.score()).isEqualTo(2.0);
        assertThat(header.forkMedians()).containsExactly(2.0, 4.0);
        assertThat(header.scoreError()).isEqualTo(0.25);
        assertThat(header.cpuMedian()).isEqualTo(1.75); // half of each sample on a CPU
        assertThat(fixtureResults().get(1).scoreError()).isNaN(); // JMH writes "NaN" as a string
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void throughputAndOtherTimeUnitsCompareAsNanosecondsPerOperationPerThread() {
        List<Result> results = fixtureResults();
        Result atomic = results.get(2);
        assertThat(atomic.higherIsBetter()).isTrue();
        assertThat(atomic.comparable(atomic.median())).isCloseTo(5.0, within(1e-9));
        assertThat(atomic.comparableUnit()).isEqualTo("ns/op");
        assertThat(atomic.comparableHigherIsBetter()).isFalse();
        Result micros = results.get(3);
        assertThat(micros.comparable(micros.median())).isEqualTo(100_000.0);
        assertThat(micros.paramsText()).isEqualTo("size=256 kind=direct"); // JMH's order, not sorted
    }

    @Test
    void badInputIsATypedErrorNamingTheFile() throws IOException {
        Path notJson = Files.writeString(directory.resolve("bad.json"), "{ not json");
        assertThatThrownBy(() -> ResultFile.read(notJson, getClass().getClassLoader()))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("bad.json").hasMessageContaining("not JSON");
        Path object = Files.writeString(directory.resolve("object.json"), "{\"benchmark\":\"a.B.c\"}");
        assertThatThrownBy(() -> ResultFile.read(object, getClass().getClassLoader()))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("expected a JSON array");
        Path noMetric = Files.writeString(directory.resolve("nometric.json"), "[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\"}]");
        assertThatThrownBy(() -> ResultFile.read(noMetric, getClass().getClassLoader()))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("result 0");
    }

    @Test
    void aSuiteCanRecordAnErrorInsteadOfAMeasurement() throws IOException {
        Path json = Files.writeString(directory.resolve("err.json"), """
                [{"benchmark":"dev.x.StartupSuite.chronicleOpen","mode":"ss","operation":"open","subject":"Chronicle Map",
                  "error":"java.lang.IllegalAccessError: module java.base does not open java.lang"}]""");
        Result r = ResultFile.read(json, getClass().getClassLoader()).get(0);
        assertThat(r.measured()).isFalse();
        assertThat(r.error()).contains("IllegalAccessError");
        assertThat(r.subject()).isEqualTo("Chronicle Map");
    }
}
