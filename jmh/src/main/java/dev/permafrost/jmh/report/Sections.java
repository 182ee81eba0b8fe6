package dev.permafrost.jmh.report;

import java.nio.file.Path;

/**
 * The generated sections of a Markdown page: the text between {@code <!-- BEGIN GENERATED name -->}
 * and {@code <!-- END GENERATED name -->} belongs to the generator; everything outside the
 * markers is hand-written and kept byte for byte. A section whose markers are absent is added,
 * under its own heading, at the end of the page's results part (a {@code ## Results} heading,
 * itself added before the first {@code ## } heading if absent).
 */
final class Sections {
    /** The heading of the part new sections go into. */
    static final String RESULTS_HEADING = "## Results";

    private Sections() {
    }

    static String begin(String name) {
        return "<!-- BEGIN GENERATED " + name + " -->";
    }

    static String end(String name) {
        return "<!-- END GENERATED " + name + " -->";
    }

    /**
     * Replaces one generated section's body, or adds the section.
     *
     * @param page    the page's text
     * @param file    the page's file, for errors
     * @param name    the section's name
     * @param heading the heading to give a section that is added (e.g. {@code ### refcount})
     * @param body    the new body, without the markers
     * @return the new text of the page
     * @throws BadResultsException if the section's markers are unbalanced or appear twice
     */
    static String replace(String page, Path file, String name, String heading, String body) {
        String begin = begin(name);
        String end = end(name);
        int b = page.indexOf(begin);
        int e = page.indexOf(end);
        if (b >= 0 && (page.indexOf(begin, b + 1) >= 0 || page.indexOf(end, e + 1) >= 0)) {
            throw new BadResultsException(file, "the markers of section '" + name + "' appear more than once", null);
        }
        if ((b < 0) != (e < 0) || e >= 0 && e < b) {
            throw new BadResultsException(file, "section '" + name + "' has " + (b < 0 ? "an END marker but no BEGIN"
                    : e < 0 ? "a BEGIN marker but no END" : "its END marker before its BEGIN"), null);
        }
        String block = begin + "\n" + (body.endsWith("\n") ? body : body + "\n") + end;
        if (b >= 0) {
            return page.substring(0, b) + block + page.substring(e + end.length());
        }
        String withResults = ensureResultsPart(page);
        int resultsAt = headingAt(withResults, RESULTS_HEADING, 0);
        int next = nextLevelTwoHeading(withResults, resultsAt + RESULTS_HEADING.length());
        String before = withResults.substring(0, next);
        String after = withResults.substring(next);
        String separator = before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
        return before + separator + heading + "\n\n" + block + "\n\n" + after;
    }

    /** Adds a {@code ## Results} heading before the first level-two heading (or at the end) if there is none. */
    private static String ensureResultsPart(String page) {
        if (headingAt(page, RESULTS_HEADING, 0) >= 0) {
            return page;
        }
        int first = nextLevelTwoHeading(page, 0);
        String before = page.substring(0, first);
        String separator = before.isEmpty() || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
        return before + separator + RESULTS_HEADING + "\n\n" + page.substring(first);
    }

    /** {@return the offset of a line that is exactly {@code heading}, at or after {@code from}; -1 if none} */
    private static int headingAt(String page, String heading, int from) {
        int at = from;
        while (at <= page.length()) {
            int lineEnd = page.indexOf('\n', at);
            String line = page.substring(at, lineEnd < 0 ? page.length() : lineEnd);
            if (line.strip().equals(heading)) {
                return at;
            }
            if (lineEnd < 0) {
                return -1;
            }
            at = lineEnd + 1;
        }
        return -1;
    }

    /** {@return the offset of the first line starting with {@code "## "} after {@code from}, outside code fences; else the page's length} */
    private static int nextLevelTwoHeading(String page, int from) {
        int at = page.indexOf('\n', from);
        boolean fence = false;
        // a heading at offset 0 counts when searching from 0
        if (from == 0 && page.startsWith("## ")) {
            return 0;
        }
        while (at >= 0 && at < page.length()) {
            int start = at + 1;
            int lineEnd = page.indexOf('\n', start);
            String line = page.substring(start, lineEnd < 0 ? page.length() : lineEnd);
            if (line.startsWith("```")) {
                fence = !fence;
            } else if (!fence && line.startsWith("## ")) {
                return start;
            }
            at = lineEnd;
        }
        return page.length();
    }
}
