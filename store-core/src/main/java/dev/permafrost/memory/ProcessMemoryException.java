package dev.permafrost.memory;

import dev.permafrost.error.PermafrostException;
import java.nio.file.Path;

/**
 * The kernel's memory accounting of a process could not be read: the process does not exist,
 * does not map the store file, or may not be inspected. Carries the process id; the file is
 * the store file concerned, or the {@code /proc} file that could not be read.
 *
 * <p>Its root is in {@code dev.permafrost.layout}, which this module requires but does not
 * pass on ({@code requires}, not {@code requires transitive}): a module that catches the family
 * by its root requires {@code dev.permafrost.layout} itself, as it does for every other
 * exception of the store.
 */
@SuppressWarnings("exports") // the root is dev.permafrost.error's, read by a plain requires: see above
public abstract class ProcessMemoryException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    private final long pid;

    /**
     * Creates the exception.
     *
     * @param pid    the process inspected
     * @param file   the store or {@code /proc} file concerned, or {@code null}
     * @param detail what was expected and what was found
     * @param cause  the underlying failure, or {@code null}
     */
    protected ProcessMemoryException(long pid, Path file, String detail, Throwable cause) {
        super(file, NO_OFFSET, "process " + pid + ": " + detail, cause);
        this.pid = pid;
    }

    /** {@return the id of the process inspected} */
    public long pid() {
        return pid;
    }
}
