package dev.permafrost.jmh.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteResultTest {

    @TempDir
    Path directory;

    private static SuiteResult fiveChildren() {
        return SuiteResult.singleShot("dev.permafrost.jmh.startup.StartupSuite.permafrostOpenAndFirstHit",
                Map.of("entries", "1000000"), "ms", List.of(12.0, 10.0, 11.0, 50.0, 9.0), "open and first hit", "Permafrost");
    }

    @Test
    void writesJmhsFieldsWithOperationAndSubject() {
        JsonObject json = fiveChildren().toJson();

        assertThat(json.get("benchmark").getAsString()).isEqualTo("dev.permafrost.jmh.startup.StartupSuite.permafrostOpenAndFirstHit");
        assertThat(json.get("mode").getAsString()).isEqualTo("ss");
        assertThat(json.get("threads").getAsInt()).isEqualTo(1);
        assertThat(json.get("forks").getAsInt()).isEqualTo(5);
        assertThat(json.getAsJsonObject("params").get("entries").getAsString()).isEqualTo("1000000");
        assertThat(json.getAsJsonObject("secondaryMetrics").size()).isZero();
        assertThat(json.get("operation").getAsString()).isEqualTo("open and first hit");
        assertThat(json.get("subject").getAsString()).isEqualTo("Permafrost");
        JsonObject primary = json.getAsJsonObject("primaryMetric");
        assertThat(primary.get("scoreUnit").getAsString()).isEqualTo("ms");
        JsonArray raw = primary.getAsJsonArray("rawData");
        assertThat(raw.size()).isEqualTo(5);
        assertThat(raw.get(3).getAsJsonArray().size()).isEqualTo(1);
        assertThat(raw.get(3).getAsJsonArray().get(0).getAsDouble()).isEqualTo(50.0);
    }

    @Test
    void scoreIsTheMeanAndTheMedianIsTheFiftiethPercentile() {
        JsonObject primary = fiveChildren().toJson().getAsJsonObject("primaryMetric");

        assertThat(primary.get("score").getAsDouble()).isCloseTo(18.4, within(1e-9));
        assertThat(primary.getAsJsonObject("scorePercentiles").get("50.0").getAsDouble()).isEqualTo(11.0);
        assertThat(primary.getAsJsonObject("scorePercentiles").get("0.0").getAsDouble()).isEqualTo(9.0);
        assertThat(primary.getAsJsonObject("scorePercentiles").get("100.0").getAsDouble()).isEqualTo(50.0);
        assertThat(fiveChildren().median()).isEqualTo(11.0);
    }

    @Test
    void scoreErrorIsHalfTheConfidenceInterval() {
        JsonObject primary = fiveChildren().toJson().getAsJsonObject("primaryMetric");
        double score = primary.get("score").getAsDouble();
        double error = primary.get("scoreError").getAsDouble();
        JsonArray confidence = primary.getAsJsonArray("scoreConfidence");

        // five samples with a standard deviation of 17.70 (the square root of 1253.2 / 4): Student's t at 99.9% and 4 degrees of freedom is 8.61
        assertThat(error).isCloseTo(8.610 * Math.sqrt(1253.2 / 4) / Math.sqrt(5), within(0.05));
        assertThat(confidence.get(0).getAsDouble()).isCloseTo(score - error, within(1e-9));
        assertThat(confidence.get(1).getAsDouble()).isCloseTo(score + error, within(1e-9));
    }

    @Test
    void aSingleSampleHasNoErrorWrittenAsJmhWritesIt() {
        SuiteResult one = SuiteResult.singleShot("x.Suite.memory", Map.of(), "B/entry", List.of(17.5), "memory per entry",
                "Permafrost");
        JsonObject primary = one.toJson().getAsJsonObject("primaryMetric");

        assertThat(primary.get("score").getAsDouble()).isEqualTo(17.5);
        assertThat(primary.get("scoreError").getAsString()).isEqualTo("NaN");
    }

    @Test
    void writesAJsonArrayOfEveryResultInOrder() throws Exception {
        Path out = directory.resolve("results/startup.json");
        SuiteResult second = new SuiteResult("x.Suite.b", "ss", 2, Map.of("workers", "2"), "MiB",
                List.of(List.of(1.0, 2.0), List.of(3.0)), "op", "Caffeine");

        SuiteResult.write(out, List.of(fiveChildren(), second));

        JsonArray array = JsonParser.parseString(Files.readString(out)).getAsJsonArray();
        assertThat(array.size()).isEqualTo(2);
        assertThat(array.get(1).getAsJsonObject().get("benchmark").getAsString()).isEqualTo("x.Suite.b");
        assertThat(array.get(1).getAsJsonObject().get("threads").getAsInt()).isEqualTo(2);
        assertThat(array.get(1).getAsJsonObject().get("forks").getAsInt()).isEqualTo(2);
        assertThat(array.get(1).getAsJsonObject().getAsJsonObject("primaryMetric").get("score").getAsDouble()).isEqualTo(2.0);
    }

    @Test
    void refusesResultsWithoutSamplesOrWithOnesThatAreNotFinite() {
        assertThatThrownBy(() -> new SuiteResult("x.S.a", "ss", 1, Map.of(), "ms", List.of(), "op", "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sample");
        assertThatThrownBy(() -> new SuiteResult("x.S.a", "ss", 1, Map.of(), "ms", List.of(List.of(1.0), List.of()), "op", "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fork 1");
        assertThatThrownBy(() -> SuiteResult.singleShot("x.S.a", Map.of(), "ms", List.of(Double.NaN), "op", "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
