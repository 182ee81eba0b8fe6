package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SectionsTest {
    private static final Path PAGE = Path.of("docs/benchmarks.md");

    @Test
    void replacingASectionKeepsEveryHandWrittenLine() {
        String page = """
                # Benchmarks

                Intro, hand-written.

                ## Results

                ### `refcount`

                Analysis above the numbers.
                <!-- BEGIN GENERATED refcount -->
                old table
                <!-- END GENERATED refcount -->
                Analysis below the numbers, **kept**.

                ## History and analysis

                Old runs.
                """;
        String updated = Sections.replace(page, PAGE, "refcount", "### `refcount`", "new table\n");
        assertThat(updated).isEqualTo(page.replace("old table", "new table"));
        assertThat(Sections.replace(updated, PAGE, "refcount", "### `refcount`", "new table\n")).isEqualTo(updated);
    }

    @Test
    void aMissingSectionIsAddedAtTheEndOfTheResultsPart() {
        String page = "# Benchmarks\n\nIntro.\n\n## History and analysis\n\nOld runs.\n";
        String once = Sections.replace(page, PAGE, "trace", "### `trace`", "ratios");
        assertThat(once).isEqualTo("# Benchmarks\n\nIntro.\n\n## Results\n\n### `trace`\n\n"
                + "<!-- BEGIN GENERATED trace -->\nratios\n<!-- END GENERATED trace -->\n\n"
                + "## History and analysis\n\nOld runs.\n");
        String twice = Sections.replace(once, PAGE, "fleet", "### `fleet`", "pss");
        assertThat(twice.indexOf("GENERATED trace")).isLessThan(twice.indexOf("GENERATED fleet"));
        assertThat(twice.indexOf("END GENERATED fleet")).isLessThan(twice.indexOf("## History and analysis"));
        assertThat(twice).endsWith("## History and analysis\n\nOld runs.\n");
    }

    @Test
    void headingsInsideCodeFencesAreNotParts() {
        String page = "# B\n\n```\n## not a heading\n```\n\n## Later\n";
        String updated = Sections.replace(page, PAGE, "x", "### x", "body");
        assertThat(updated).startsWith("# B\n\n```\n## not a heading\n```\n\n## Results\n\n### x\n\n");
    }

    @Test
    void unbalancedMarkersAreATypedError() {
        assertThatThrownBy(() -> Sections.replace("<!-- BEGIN GENERATED x -->\n", PAGE, "x", "### x", "b"))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("benchmarks.md")
                .hasMessageContaining("no END");
        assertThatThrownBy(() -> Sections.replace("<!-- END GENERATED x -->\n<!-- BEGIN GENERATED x -->\n", PAGE, "x", "### x", "b"))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("END marker before its BEGIN");
        String twice = "<!-- BEGIN GENERATED x -->\n<!-- END GENERATED x -->\n<!-- BEGIN GENERATED x -->\n<!-- END GENERATED x -->\n";
        assertThatThrownBy(() -> Sections.replace(twice, PAGE, "x", "### x", "b"))
                .isInstanceOf(BadResultsException.class).hasMessageContaining("more than once");
    }
}
