package dev.permafrost.memory;

import java.nio.file.Path;

/** A process exists but does not map the store file (or nothing in the address range asked about). */
public class MappingNotFoundException extends ProcessMemoryException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param pid    the process inspected
     * @param file   the store file looked for, or {@code null} when an address range was
     * @param detail what was looked for, and what the process maps instead
     */
    public MappingNotFoundException(long pid, Path file, String detail) {
        super(pid, file, detail, null);
    }
}
