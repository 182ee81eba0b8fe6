package dev.permafrost.memory;

import java.nio.file.Path;

/** No process has the id asked about (it never existed, or it has exited). */
public class NoSuchProcessException extends ProcessMemoryException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param pid   the process asked about
     * @param file  the {@code /proc} file that was missing
     * @param cause the underlying failure, or {@code null}
     */
    public NoSuchProcessException(long pid, Path file, Throwable cause) {
        super(pid, file, "no such process (" + file + " is missing)", cause);
    }
}
