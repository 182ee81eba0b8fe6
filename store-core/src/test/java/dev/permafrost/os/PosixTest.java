package dev.permafrost.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.os.Posix.PosixException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each downcall: its result, {@code errno} and name in the message of a failure, the page size. */
@SuppressWarnings("restricted") // views of what mmap mapped
class PosixTest {
    @TempDir
    Path dir;

    @Test
    void pageSizeIsThePlatformsAPowerOfTwo() {
        long page = Posix.pageSize();
        assertThat(page).isPositive();
        assertThat(Long.bitCount(page)).isEqualTo(1);
    }

    @Test
    void aFileIsOpenedReadLockedMappedAndClosed() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "hello, permafrost", StandardCharsets.US_ASCII);
        int fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try {
            assertThat(fd).isNotNegative();
            Posix.flock(fd, Posix.LOCK_SH | Posix.LOCK_NB);
            assertThat(Posix.length(fd)).isEqualTo(17);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment into = arena.allocate(64);
                assertThat(Posix.pread(fd, into, 7)).isEqualTo(10);
                assertThat(into.getString(0)).isEqualTo("permafrost");
            }
            long address = Posix.mmap(0, 4096, Posix.PROT_READ, Posix.MAP_PRIVATE, fd, 0);
            assertThat(MemorySegment.ofAddress(address).reinterpret(17).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'h');
            Posix.munmap(address, 4096);
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aFileIsCreatedSizedAndSynced() throws Exception {
        Path file = dir.resolve("g");
        int fd = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0600);
        try {
            Posix.flock(fd, Posix.LOCK_EX | Posix.LOCK_NB);
            Posix.ftruncate(fd, 3 * 4096);
            try {
                Posix.fallocate(fd, 0, 4096);
            } catch (PosixException e) {
                assertThat(e.errno()).isEqualTo(Posix.EOPNOTSUPP);
            }
            long address = Posix.mmap(0, 3 * 4096, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, fd, 0);
            MemorySegment.ofAddress(address).reinterpret(3 * 4096).set(ValueLayout.JAVA_BYTE, 4096, (byte) 42);
            Posix.msync(address, 3 * 4096);
            Posix.munmap(address, 3 * 4096);
            Posix.fsync(fd);
        } finally {
            Posix.close(fd);
        }
        assertThat(Files.size(file)).isEqualTo(3 * 4096);
        assertThat(Files.readAllBytes(file)[4096]).isEqualTo((byte) 42);
    }

    @Test
    void aFailedCallNamesItselfAndItsErrno() throws Exception {
        assertThatThrownBy(() -> Posix.open(dir.resolve("missing").toString(), Posix.O_RDONLY, 0))
                .isInstanceOf(PosixException.class)
                .hasMessageStartingWith("open: ")
                .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(Posix.ENOENT));
        Path file = dir.resolve("h");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> Posix.open(file.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0600))
                .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(Posix.EEXIST));
        int ebadf = 9;
        assertThatThrownBy(() -> Posix.flock(-1, Posix.LOCK_SH)).hasMessageStartingWith("flock: ")
                .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(ebadf));
        assertThatThrownBy(() -> Posix.length(-1)).hasMessageStartingWith("lseek: ");
        assertThatThrownBy(() -> Posix.mmap(0, 4096, Posix.PROT_READ, Posix.MAP_SHARED, -1, 0))
                .hasMessageStartingWith("mmap: ")
                .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(ebadf));
    }

    @Test
    void twoLocksOnOneFileExcludeEachOtherInOneProcess() throws Exception {
        Path file = dir.resolve("l");
        Files.writeString(file, "x");
        int first = Posix.open(file.toString(), Posix.O_RDONLY, 0);
        int second = Posix.open(file.toString(), Posix.O_RDONLY, 0);
        try {
            Posix.flock(first, Posix.LOCK_EX | Posix.LOCK_NB);
            assertThatThrownBy(() -> Posix.flock(second, Posix.LOCK_SH | Posix.LOCK_NB))
                    .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(Posix.EWOULDBLOCK));
        } finally {
            Posix.close(first);
            Posix.close(second);
        }
    }
}
