package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageTest {
    @TempDir
    Path directory;

    private Path results;
    private Path page;
    private Path charts;

    private void setUp(String handWritten) throws IOException {
        results = Files.createDirectories(directory.resolve("jmh/results"));
        Files.createDirectories(results.resolve("quick"));
        page = Files.createDirectories(directory.resolve("docs")).resolve("benchmarks.md");
        charts = directory.resolve("docs/bench");
        Files.writeString(page, handWritten);
    }

    private String regenerate() throws IOException {
        Page.regenerate(Page.load(results, getClass().getClassLoader()), page, charts);
        return Files.readString(page, StandardCharsets.UTF_8);
    }

    @Test
    void aSuiteSectionHasTheRunTheTableTheErrorsAndItsChart() throws Exception {
        setUp("# Benchmarks\n\nIntro.\n\n## History and analysis\n\nOld, hand-written.\n");
        Files.copy(ResultFileTest.fixture(), results.resolve("quick/fixture.json"));
        new Meta("fixture", true, "scripts/bench --quick fixture", "2026-01-02T03:04:05Z", 12, 0, 2, "Xeon", "Linux 6.1",
                1L << 34, "Temurin 25", "1.0 0.5 0.2", "2.0 1.0 0.5",
                List.of(new Meta.BenchError("dev.x.FixtureBenchmark.chronicle", "IllegalAccessError: no --add-opens")))
                .write(results.resolve("quick/fixture.meta.json"));

        String text = regenerate();

        assertThat(text).startsWith("# Benchmarks\n\nIntro.\n\n## Results\n\n### Targets\n\n<!-- BEGIN GENERATED targets -->");
        assertThat(text).endsWith("## History and analysis\n\nOld, hand-written.\n");
        String section = text.substring(text.indexOf("<!-- BEGIN GENERATED fixture -->"), text.indexOf("<!-- END GENERATED fixture -->"));
        assertThat(section).contains("**Quick run**").contains("2 CPUs (Xeon), 16 GiB RAM, Linux 6.1")
                .contains("load average 1.0 0.5 0.2 at the start").contains("Temurin 25")
                .contains("`scripts/bench --quick fixture`")
                .contains("2 forks, 1 × 1 s warm-up, 3 × 1 s measurement")
                .contains("`--enable-native-access=ALL-UNNAMED -Xmx256m`")
                .contains("| read |  | 1 | plain read | 3.500 ns/op | ±0.2500 | 2.000–4.000 (2) | 1.750 ns/op |")
                .contains("| **Permafrost** | 4.500 ns/op |")
                .contains("**1.286×** plain read (worse)")
                .contains("`dev.x.FixtureBenchmark.chronicle`: IllegalAccessError: no --add-opens")
                .contains("![fixture chart](bench/fixture.svg)");
        SvgChartTest.parse(Files.readString(charts.resolve("fixture.svg")));
        // suites never run still get a section that says so
        assertThat(text).contains("<!-- BEGIN GENERATED alloc -->").contains("Not run yet: `scripts/bench alloc`");
    }

    @Test
    void regeneratingTwiceChangesNothingAndKeepsTextBesideTheMarkers() throws Exception {
        setUp("# Benchmarks\n\n## Results\n\n### `trace`\n\nMy analysis of the trace.\n\n"
                + "<!-- BEGIN GENERATED trace -->\nstale\n<!-- END GENERATED trace -->\n\nMore analysis.\n\n## History and analysis\n\nOld.\n");
        Files.writeString(results.resolve("trace.json"), """
                [{"benchmark":"dev.permafrost.jmh.trace.TraceSuite.hitRatio","mode":"hit ratio","operation":"hit ratio",
                  "subject":"Permafrost","params":{"trace":"web07","capacity":"500"},
                  "primaryMetric":{"score":0.5,"scoreError":"NaN","scoreUnit":"ratio","rawData":[[0.5]]}},
                 {"benchmark":"dev.permafrost.jmh.trace.TraceSuite.hitRatio","mode":"hit ratio","operation":"hit ratio",
                  "subject":"Caffeine","params":{"trace":"web07","capacity":"500"},
                  "primaryMetric":{"score":0.48,"scoreError":"NaN","scoreUnit":"ratio","rawData":[[0.48]]}}]""");
        String once = regenerate();
        assertThat(once).contains("My analysis of the trace.\n\n<!-- BEGIN GENERATED trace -->")
                .contains("<!-- END GENERATED trace -->\n\nMore analysis.").doesNotContain("stale")
                .contains("**+2.00 points** against Caffeine (better)")
                .contains("| 12 | `trace` | hit ratio of the overlay: no cell more than 0.3 percentage points below Caffeine's | ≥ -0.3 points | 2.000 points | holds |");
        assertThat(once.indexOf("### `trace`")).isEqualTo(once.lastIndexOf("### `trace`"));
        assertThat(regenerate()).isEqualTo(once);
    }

    @Test
    void theNewerOfTheFullAndTheQuickRunIsShown() throws Exception {
        setUp("# Benchmarks\n");
        Files.copy(ResultFileTest.fixture(), results.resolve("fixture.json"));
        Files.copy(ResultFileTest.fixture(), results.resolve("quick/fixture.json"));
        Meta full = new Meta("fixture", false, "scripts/bench fixture", "2026-01-02T03:04:05Z", 1, 0, 2, "x", "k", 1, "j",
                "?", "?", List.of());
        full.write(results.resolve("fixture.meta.json"));
        new Meta("fixture", true, "scripts/bench --quick fixture", "2026-01-01T00:00:00Z", 1, 0, 2, "x", "k", 1, "j",
                "?", "?", List.of()).write(results.resolve("quick/fixture.meta.json"));
        assertThat(regenerate()).contains("`scripts/bench fixture`").doesNotContain("**Quick run**");
        new Meta("fixture", true, "scripts/bench --quick fixture", "2026-02-01T00:00:00Z", 1, 0, 2, "x", "k", 1, "j",
                "?", "?", List.of()).write(results.resolve("quick/fixture.meta.json"));
        assertThat(regenerate()).contains("**Quick run**");
    }
}
