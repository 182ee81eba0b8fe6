package dev.permafrost.memory;

import java.nio.file.Path;

/**
 * A process exists but this one may not read its memory accounting: {@code /proc/PID/smaps}
 * and {@code /proc/PID/pagemap} need the same rights as {@code ptrace} read access (same user,
 * or {@code CAP_SYS_PTRACE}).
 */
public class ProcessAccessDeniedException extends ProcessMemoryException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param pid   the process inspected
     * @param file  the {@code /proc} file that could not be read
     * @param cause the underlying failure
     */
    public ProcessAccessDeniedException(long pid, Path file, Throwable cause) {
        super(pid, file, "may not read " + file + " (needs ptrace read access to the process: same user or CAP_SYS_PTRACE)", cause);
    }
}
