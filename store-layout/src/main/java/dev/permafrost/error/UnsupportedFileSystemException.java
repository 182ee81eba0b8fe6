package dev.permafrost.error;

import java.nio.file.Path;

/**
 * The file system under the store file cannot do what the store needs: reserve disk space
 * ahead of writes through the mapping ({@code fallocate}; without it a full disk is a SIGBUS
 * that kills the JVM, not a {@link StoreFullException}), or lock the file ({@code flock}; without
 * it a live owner cannot be told from a dead one, nor workers kept off a store an owner
 * writes). The message names the file, the file system's type and mount point, and the call
 * that is missing. Nothing was written.
 */
public class UnsupportedFileSystemException extends StoreAccessException {
    private static final long serialVersionUID = 1L;

    private final String fileSystemType;
    private final String missingCall;

    /**
     * Creates the exception.
     *
     * @param file           the store file concerned
     * @param fileSystemType the file system's type as the kernel names it ({@code ext2}, {@code nfs4}),
     *                       or {@code "unknown"}
     * @param missingCall    the system call the file system does not support ({@code fallocate}, {@code flock})
     * @param detail         what was expected and what was found
     * @param cause          the underlying failure
     */
    public UnsupportedFileSystemException(Path file, String fileSystemType, String missingCall, String detail,
                                          Throwable cause) {
        super(file, NO_OFFSET, detail, cause);
        this.fileSystemType = fileSystemType;
        this.missingCall = missingCall;
    }

    /** {@return the file system's type as the kernel names it, or {@code "unknown"}} */
    public String fileSystemType() {
        return fileSystemType;
    }

    /** {@return the system call the file system does not support: {@code fallocate} or {@code flock}} */
    public String missingCall() {
        return missingCall;
    }
}
