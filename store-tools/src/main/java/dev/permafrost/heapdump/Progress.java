package dev.permafrost.heapdump;

import java.io.PrintStream;

/**
 * A progress bar on stderr for scans that take more than a second, drawn only when stderr is
 * a terminal ({@code System.console() != null}) so that logs and pipes stay clean. Updated at
 * most ten times a second; {@link #done} erases it.
 */
final class Progress {
    /** Draws nothing. */
    static final Progress NONE = new Progress(null, "", 1);

    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 40;

    private final PrintStream err;
    private final String label;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    private Progress(PrintStream err, String label, long totalBytes) {
        this.err = err;
        this.label = label;
        this.totalBytes = Math.max(1, totalBytes);
    }

    /**
     * Returns a progress bar for a scan, or {@link #NONE} when stderr is not a terminal.
     *
     * @param err        stderr
     * @param label      what is scanned
     * @param totalBytes bytes the scan covers
     * @return the bar
     */
    static Progress of(PrintStream err, String label, long totalBytes) {
        return System.console() == null || err != System.err ? NONE : new Progress(err, label, totalBytes);
    }

    /**
     * Reports how far the scan got; cheap enough to call every few thousand blocks.
     *
     * @param doneBytes bytes scanned so far
     */
    void update(long doneBytes) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - startNanos < SHOW_AFTER_NANOS || now - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = now;
        int filled = (int) Math.min(WIDTH, doneBytes * WIDTH / totalBytes);
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + Math.min(100, doneBytes * 100 / totalBytes) + "% " + Units.bytes(doneBytes) + " of "
                + Units.bytes(totalBytes) + "   ");
        err.flush();
        drawn = true;
    }

    /** Erases the bar, if one was drawn. */
    void done() {
        if (drawn) {
            err.print("\r" + " ".repeat(label.length() + WIDTH + 40) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
