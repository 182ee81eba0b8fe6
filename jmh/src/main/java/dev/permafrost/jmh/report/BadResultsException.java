package dev.permafrost.jmh.report;

import dev.permafrost.error.PermafrostException;
import java.nio.file.Path;

/**
 * Bad input to the results page: a results file that is not JMH's JSON format, a meta file
 * that is not the run record {@code scripts/bench} writes, or a page whose generated-section
 * markers are unbalanced. The message names the file and what was expected.
 */
public final class BadResultsException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the file concerned
     * @param detail what was expected and what was found
     * @param cause  the underlying failure, or {@code null}
     */
    public BadResultsException(Path file, String detail, Throwable cause) {
        super(file, NO_OFFSET, detail, cause);
    }
}
