/**
 * The results page: reads the suites' results (JMH's JSON format, also written by the suites that
 * are not JMH) and the run records {@code scripts/bench} writes beside them, and regenerates the
 * generated sections of {@code docs/benchmarks.md} and the charts in {@code docs/bench/}.
 *
 * <p>{@link dev.permafrost.jmh.report.Page} is the command; {@link dev.permafrost.jmh.report.ResultFile}
 * reads a suite's results and their {@code @Compared} names; {@link dev.permafrost.jmh.report.Meta}
 * is a run's record (machine, JDK, load, errors); {@link dev.permafrost.jmh.report.Targets} holds
 * every target of the earlier issues and how each is computed; {@code SuiteTable} makes the rows
 * and the ratio to the best peer; {@code SvgChart} draws; {@code Sections} replaces the text between
 * a section's markers and nothing else; {@link dev.permafrost.jmh.report.Smoke} runs every benchmark
 * once, briefly, for {@code ./mvnw verify -Pbench-smoke}.
 *
 * <p>Thread rules: single-threaded command-line programs. Hot paths: none; nothing here is measured.
 */
package dev.permafrost.jmh.report;
