package dev.permafrost.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.error.StoreAccessException;
import dev.permafrost.error.UnsupportedFileSystemException;
import dev.permafrost.os.Posix;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a file system that cannot lock is told from a lock someone holds, and what the typed error
 * says. No file system mountable here lacks {@code flock} (NFS without lockd, some FUSE and 9p
 * mounts do), so the {@code flock} side is tested at the errno; {@code UnsupportedFileSystemTest}
 * mounts file systems without {@code fallocate} for real.
 */
class FileSystemErrorsTest {
    @TempDir
    Path dir;

    @Test
    void theErrnosOfAFileSystemWithoutLocksAreUnsupportedAndAHeldLockIsNot() {
        assertThat(StoreFile.isUnsupportedLock(Posix.ENOLCK)).isTrue();
        assertThat(StoreFile.isUnsupportedLock(Posix.EINVAL)).isTrue();
        assertThat(StoreFile.isUnsupportedLock(Posix.EOPNOTSUPP)).isTrue();
        assertThat(StoreFile.isUnsupportedLock(Posix.ENOSYS)).isTrue();
        assertThat(StoreFile.isUnsupportedLock(Posix.EWOULDBLOCK)).as("someone holds the lock").isFalse();
        assertThat(StoreFile.isUnsupportedLock(Posix.EINTR)).isFalse();
    }

    @Test
    void theErrorNamesTheFileTheFileSystemItsMountPointAndTheMissingCall() {
        Path path = dir.resolve("s.pf");
        UnsupportedFileSystemException e = StoreFile.unsupported(path, "flock", new IOException("flock: No locks available"),
                "cannot lock the store file");
        assertThat(e).isInstanceOf(StoreAccessException.class);
        String[] fileSystem = StoreFile.fileSystemOf(path);
        assertThat(fileSystem[0]).isNotEqualTo("unknown");
        assertThat(e.fileSystemType()).isEqualTo(fileSystem[0]);
        assertThat(e.missingCall()).isEqualTo("flock");
        assertThat(e.getMessage()).contains(path.toString()).contains("(" + fileSystem[0] + " mounted at " + fileSystem[1] + ")")
                .contains("does not support flock");
    }

    @Test
    void theFileSystemOfAPathIsTheMountWithTheLongestMountPointAboveIt() {
        assertThat(StoreFile.fileSystemOf(Path.of("/proc/self/status"))).containsExactly("proc", "/proc");
        assertThat(StoreFile.fileSystemOf(Path.of("/proc/no-such-file-here"))).containsExactly("proc", "/proc");
        assertThat(StoreFile.fileSystemOf(Path.of("/"))[1]).isEqualTo("/");
    }
}
