package dev.permafrost.jmh.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Regenerates the results part of {@code docs/benchmarks.md} from the suites' JSON: per suite,
 * the run (machine, JDK, load, command, time), the settings, a table of medians with their error
 * and each Permafrost cell's ratio to the best peer, the errors of benchmarks that gave no result,
 * the suite's targets and a chart ({@code docs/bench/SUITE.svg}); and one table of every target
 * of the earlier issues with its verdict. Only the text between each section's markers
 * ({@link Sections}) changes; the hand-written text around them stays.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.permafrost.jmh.report.Page \
 *     --results jmh/results --page docs/benchmarks.md --charts docs/bench
 * </pre>
 *
 * <p>For each suite it reads {@code RESULTS/SUITE.json} (a full run) or
 * {@code RESULTS/quick/SUITE.json} (a {@code --quick} run), whichever ran last by its meta file,
 * and marks quick numbers as quick. Bad input (a file that is not JMH JSON, unbalanced markers)
 * is one line on standard error and exit status 2.
 */
public final class Page {
    /** The suites, in the page's order; others found in the results folder follow. */
    public static final List<String> SUITES = List.of("refcount", "alloc", "objects", "cache", "startup", "fleet", "trace");

    /** The section that holds every target's verdict. */
    static final String TARGETS_SECTION = "targets";

    /**
     * One suite's latest run.
     *
     * @param suite   its name
     * @param results its results (empty if none)
     * @param meta    its run record, or {@code null}
     * @param quick   whether the results are a quick run's
     * @param file    the results file read, or {@code null} if none exists
     */
    record SuiteRun(String suite, List<Result> results, Meta meta, boolean quick, Path file) {
    }

    private Page() {
    }

    /**
     * Regenerates the page and the charts.
     *
     * @param args {@code --results DIR --page FILE --charts DIR}
     */
    public static void main(String[] args) {
        Path results = Path.of("jmh/results");
        Path page = Path.of("docs/benchmarks.md");
        Path charts = Path.of("docs/bench");
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                fail("option " + args[i] + " wants a value; usage: Page --results DIR --page FILE --charts DIR");
            }
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--page" -> page = Path.of(args[++i]);
                case "--charts" -> charts = Path.of(args[++i]);
                default -> fail("unknown option '" + args[i] + "'; usage: Page --results DIR --page FILE --charts DIR");
            }
        }
        try {
            List<SuiteRun> runs = load(results, Page.class.getClassLoader());
            regenerate(runs, page, charts);
            System.err.println("bench: regenerated " + page + " and " + charts + "/*.svg from " + results);
        } catch (BadResultsException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("cannot write the page or charts: " + e);
        }
    }

    private static void fail(String message) {
        System.err.println("bench page: " + message);
        System.exit(2);
    }

    /**
     * Reads every suite's latest run.
     *
     * @param results the results folder
     * @param loader  where the benchmark classes are
     * @return one run per suite, known suites first
     * @throws IOException if the folder cannot be listed
     */
    static List<SuiteRun> load(Path results, ClassLoader loader) throws IOException {
        Set<String> suites = new LinkedHashSet<>(SUITES);
        for (Path dir : List.of(results, results.resolve("quick"))) {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (!name.endsWith(".meta.json")) {
                            suites.add(name.substring(0, name.length() - ".json".length()));
                        }
                    }
                }
            }
        }
        List<SuiteRun> runs = new ArrayList<>();
        for (String suite : suites) {
            SuiteRun full = run(suite, results, false, loader);
            SuiteRun quick = run(suite, results.resolve("quick"), true, loader);
            runs.add(newer(full, quick));
        }
        return runs;
    }

    private static SuiteRun run(String suite, Path dir, boolean quick, ClassLoader loader) throws IOException {
        Path json = dir.resolve(suite + ".json");
        Meta meta = Meta.read(dir.resolve(suite + ".meta.json"));
        if (!Files.exists(json)) {
            return new SuiteRun(suite, List.of(), meta, quick, null);
        }
        return new SuiteRun(suite, ResultFile.read(json, loader), meta, quick || meta != null && meta.quick(), json);
    }

    /** {@return the run that ended last: by the meta files' times, else by the results files' times} */
    private static SuiteRun newer(SuiteRun full, SuiteRun quick) throws IOException {
        boolean hasFull = full.file() != null || full.meta() != null;
        boolean hasQuick = quick.file() != null || quick.meta() != null;
        if (!hasFull || !hasQuick) {
            return hasQuick ? quick : full;
        }
        if (full.meta() != null && quick.meta() != null) {
            return quick.meta().utc().compareTo(full.meta().utc()) > 0 ? quick : full;
        }
        if (full.file() != null && quick.file() != null) {
            return Files.getLastModifiedTime(quick.file()).compareTo(Files.getLastModifiedTime(full.file())) > 0 ? quick : full;
        }
        return full;
    }

    /**
     * Rewrites the page's generated sections and the charts.
     *
     * @param runs   every suite's run
     * @param page   the Markdown page (created if absent)
     * @param charts the folder of the charts
     * @throws IOException if a file cannot be read or written
     */
    static void regenerate(List<SuiteRun> runs, Path page, Path charts) throws IOException {
        String text;
        try {
            text = Files.readString(page, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = "# Benchmarks\n\n";
        }
        List<Result> all = runs.stream().flatMap(r -> r.results().stream()).toList();
        Map<String, Boolean> quickSuites = new LinkedHashMap<>();
        runs.forEach(r -> quickSuites.put(r.suite(), r.quick() && r.file() != null));
        List<Targets.Evaluation> evaluations = Targets.evaluateAll(all);
        text = Sections.replace(text, page, TARGETS_SECTION, "### Targets", targetsSummary(evaluations, quickSuites));
        Files.createDirectories(charts);
        for (SuiteRun run : runs) {
            String chartLink = null;
            if (run.results().stream().anyMatch(Result::measured)) {
                Path chart = charts.resolve(run.suite() + ".svg");
                Files.writeString(chart, chart(run), StandardCharsets.UTF_8);
                Path base = page.toAbsolutePath().getParent();
                chartLink = base.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
            }
            List<Targets.Evaluation> own = evaluations.stream().filter(e -> run.suite().equals(e.target().suite())).toList();
            text = Sections.replace(text, page, run.suite(), "### `" + run.suite() + "`", section(run, own, chartLink));
        }
        Files.writeString(page, text, StandardCharsets.UTF_8);
    }

    /** {@return the chart of a suite's run} */
    static String chart(SuiteRun run) {
        Map<String, List<SvgChart.Group>> byUnit = new LinkedHashMap<>();
        Map<String, Boolean> higher = new LinkedHashMap<>();
        for (SuiteTable.Row row : SuiteTable.rows(run.results())) {
            Map<String, List<SvgChart.Bar>> barsByUnit = new LinkedHashMap<>();
            for (Result cell : row.cells()) {
                barsByUnit.computeIfAbsent(cell.unit(), u -> new ArrayList<>())
                        .add(new SvgChart.Bar(SuiteTable.subject(cell), cell.measured() ? cell.median() : Double.NaN));
                higher.putIfAbsent(cell.unit(), cell.higherIsBetter());
            }
            barsByUnit.forEach((unit, bars) -> byUnit.computeIfAbsent(unit, u -> new ArrayList<>())
                    .add(new SvgChart.Group(row.label(), bars)));
        }
        List<SvgChart.Panel> panels = new ArrayList<>();
        byUnit.forEach((unit, groups) -> panels.add(new SvgChart.Panel(unit, higher.get(unit), groups)));
        String title = "Suite " + run.suite() + (run.quick() ? " (QUICK RUN: indicative only)" : "")
                + (run.meta() != null ? ", " + run.meta().utc() : "");
        return SvgChart.render(title, panels);
    }

    /** {@return the body of a suite's section} */
    static String section(SuiteRun run, List<Targets.Evaluation> targets, String chartLink) {
        StringBuilder s = new StringBuilder();
        s.append("<!-- generated by dev.permafrost.jmh.report.Page from ")
                .append(run.file() == null ? "no results" : run.file().getFileName()).append("; edit outside the markers -->\n\n");
        Meta meta = run.meta();
        if (run.file() == null && meta == null) {
            s.append("Not run yet: `scripts/bench ").append(run.suite()).append("` (full) or `scripts/bench --quick ")
                    .append(run.suite()).append("` writes its results here.\n");
            appendTargets(s, targets, false);
            return s.toString();
        }
        if (run.quick()) {
            s.append("**Quick run** (`--quick`: 1 fork, short iterations, fewer sizes): these numbers are indicative only; "
                    + "a full run (`scripts/bench ").append(run.suite()).append("`) gives the medians of at least 3 forks.\n\n");
        }
        if (meta != null) {
            s.append("- **Run:** ").append(meta.utc()).append(", ").append(meta.seconds()).append(" s, `")
                    .append(meta.command()).append("`").append(meta.exitStatus() == 0 ? "" : ", exit status " + meta.exitStatus())
                    .append("\n");
            s.append("- **Machine:** ").append(meta.machine()).append("; load average ").append(meta.loadStart())
                    .append(" at the start, ").append(meta.loadEnd()).append(" at the end\n");
            s.append("- **JDK:** ").append(meta.jdk()).append("\n");
        } else {
            s.append("- **Run:** no meta file beside the results (not written by `scripts/bench`)\n");
        }
        Set<String> settings = run.results().stream().filter(Result::measured).map(Result::settings)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!settings.isEmpty()) {
            s.append("- **Settings:** ").append(String.join("; ", settings)).append("\n");
        }
        Map<String, Set<String>> flags = new LinkedHashMap<>();
        for (Result r : run.results()) {
            if (!r.jvmArgs().isEmpty()) {
                flags.computeIfAbsent(SuiteTable.subject(r), k -> new LinkedHashSet<>()).add(String.join(" ", r.jvmArgs()));
            }
        }
        if (!flags.isEmpty()) {
            s.append("- **JVM flags of the forks:** ");
            s.append(flags.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().stream()
                    .map(f -> "`" + f + "`").collect(Collectors.joining(" or "))).collect(Collectors.joining("; ")));
            s.append("\n");
        }
        s.append("- **Reading the table:** *median* is of every measurement iteration of every fork (JMH's own score "
                + "is their mean); *±* is JMH's 99.9% confidence interval of that mean; *forks* is the range of the forks' "
                + "medians; *vs best peer* is Permafrost's median over the best peer's of the row, in time per operation "
                + "where the unit is a time or a throughput (below 1× is faster), else in the unit shown (for hit ratios "
                + "above 1× is better).\n\n");
        if (chartLink != null) {
            s.append("![").append(run.suite()).append(" chart](").append(chartLink).append(")\n\n");
        }
        List<SuiteTable.Row> rows = SuiteTable.rows(run.results());
        if (!rows.isEmpty()) {
            boolean withCpu = run.results().stream().anyMatch(r -> r.cpuData().length > 0);
            s.append("| operation | params | threads | subject | median | ± | forks |")
                    .append(withCpu ? " median, CPU clock |" : "").append(" vs best peer |\n");
            s.append("|---|---|---:|---|---:|---:|---|").append(withCpu ? "---:|" : "").append("---|\n");
            for (SuiteTable.Row row : rows) {
                for (Result cell : row.cells()) {
                    s.append(cellLine(row, cell, withCpu));
                }
            }
            if (withCpu) {
                s.append("\n*median, CPU clock*: each sample times the share of it the benchmark threads spent on a CPU "
                        + "(`ThreadCpu`), which leaves out time spent waiting for a CPU on a busy machine.\n");
            }
            if (run.results().stream().anyMatch(r -> r.operation() == null)) {
                s.append("\nRows whose subject is a class name come from benchmarks without `@Compared`: "
                        + "their operation is the method's name.\n");
            }
        } else {
            s.append("No results in the last run.\n");
        }
        List<Meta.BenchError> errors = meta == null ? List.of() : meta.errors();
        List<Result> failed = run.results().stream().filter(r -> r.error() != null).toList();
        if (!errors.isEmpty() || !failed.isEmpty()) {
            s.append("\n**Errors** (benchmarks that gave no result in this run):\n\n");
            for (Meta.BenchError e : errors) {
                s.append("- `").append(e.benchmark()).append("`: ").append(inline(e.message())).append("\n");
            }
            for (Result r : failed) {
                s.append("- `").append(r.benchmark()).append(r.params().isEmpty() ? "" : " " + r.paramsText())
                        .append("` (").append(SuiteTable.subject(r)).append("): ").append(inline(r.error())).append("\n");
            }
        }
        appendTargets(s, targets, run.quick());
        return s.toString();
    }

    private static String cellLine(SuiteTable.Row row, Result cell, boolean withCpu) {
        String subject = SuiteTable.subject(cell);
        boolean pf = SuiteTable.PERMAFROST.equals(subject);
        String median;
        String error = "";
        String forks = "";
        if (cell.error() != null) {
            median = "error";
        } else if (!cell.measured()) {
            median = "–";
        } else {
            median = Targets.fmt(cell.median()) + " " + cell.unit();
            error = Double.isFinite(cell.scoreError()) ? "±" + Targets.fmt(cell.scoreError()) : "";
            double[] fm = cell.forkMedians();
            forks = fm.length > 1 ? Targets.fmt(Stats.min(fm)) + "–" + Targets.fmt(Stats.max(fm)) + " (" + fm.length + ")"
                    : fm.length + " fork";
        }
        String versus = "";
        if (pf) {
            SuiteTable.Comparison c = SuiteTable.compare(row, cell);
            String verdict = c.equal() ? " (equal)" : c.better() ? " (better)" : " (worse)";
            versus = c.note() != null ? c.note()
                    : Double.isFinite(c.points()) ? String.format(Locale.ROOT, "**%+.2f points** against %s%s", c.points(), c.peer(), verdict)
                    : "**" + Targets.fmt(c.ratio()) + "×** " + c.peer() + verdict;
        }
        return "| " + inline(row.operation()) + " | " + inline(row.params()) + " | " + row.threads() + " | "
                + (pf ? "**" + subject + "**" : inline(subject)) + " | " + median + " | " + error + " | " + forks
                + (withCpu ? " | " + (cell.cpuData().length > 0 && cell.measured() ? Targets.fmt(cell.cpuMedian()) + " " + cell.unit() : "") : "")
                + " | " + versus + " |\n";
    }

    private static void appendTargets(StringBuilder s, List<Targets.Evaluation> targets, boolean quick) {
        if (targets.isEmpty()) {
            return;
        }
        s.append("\n**Targets** of the earlier issues measured by this suite").append(quick ? " (quick run)" : "")
                .append(":\n\n");
        s.append("| issue | target | threshold | measured | verdict | from |\n|---:|---|---|---:|---|---|\n");
        for (Targets.Evaluation e : targets) {
            s.append(targetLine(e, quick, false));
        }
    }

    private static String targetLine(Targets.Evaluation e, boolean quick, boolean withSuite) {
        Targets.Target t = e.target();
        String verdict = e.verdict() == Targets.Verdict.MISSED ? "**MISSED**" : e.verdict().text();
        if (quick && e.verdict() != Targets.Verdict.NOT_MEASURED) {
            verdict += " (quick)";
        }
        String measured = e.valueText();
        if (Double.isFinite(e.cpu())) {
            measured += " (CPU clock " + Targets.fmt(e.cpu()) + "×)";
        }
        return "| " + t.issue() + " | " + (withSuite ? (t.suite() == null ? "–" : "`" + t.suite() + "`") + " | " : "")
                + inline(t.text()) + " | " + t.thresholdText() + " | " + measured + " | " + verdict + " | "
                + inline(t.how().describe()) + (e.note() != null && !(t.how() instanceof Targets.Elsewhere)
                ? "; " + inline(e.note()) : "") + " |\n";
    }

    /** {@return the summary section: every target with its verdict} */
    static String targetsSummary(List<Targets.Evaluation> evaluations, Map<String, Boolean> quickSuites) {
        Map<Targets.Verdict, Long> counts = new LinkedHashMap<>();
        for (Targets.Verdict v : Targets.Verdict.values()) {
            counts.put(v, evaluations.stream().filter(e -> e.verdict() == v).count());
        }
        StringBuilder s = new StringBuilder();
        s.append("<!-- generated by dev.permafrost.jmh.report.Page from every suite's results "
                + "(targets: dev.permafrost.jmh.report.Targets); edit outside the markers -->\n\n");
        s.append(String.format(Locale.ROOT, "%d targets of issues 2, 3, 4, 5 and 12: %d hold, %d MISSED, %d shown, %d not measured. "
                        + "Ratios are of medians, wall clock (the CPU clock beside, where both sides record it); "
                        + "\"(quick)\" marks a verdict from a quick run, which only a full run settles.%n%n",
                evaluations.size(), counts.get(Targets.Verdict.HOLDS), counts.get(Targets.Verdict.MISSED),
                counts.get(Targets.Verdict.SHOWN), counts.get(Targets.Verdict.NOT_MEASURED)));
        s.append("| issue | suite | target | threshold | measured | verdict | from |\n|---:|---|---|---|---:|---|---|\n");
        for (Targets.Evaluation e : evaluations) {
            String suite = e.target().suite();
            s.append(targetLine(e, suite != null && quickSuites.getOrDefault(suite, false), true));
        }
        return s.toString();
    }

    /** {@return text safe in a Markdown table cell: one line, pipes escaped} */
    static String inline(String text) {
        return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
    }
}
