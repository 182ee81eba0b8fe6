package dev.permafrost.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux system calls Java does not offer, called through FFM: {@code mmap} of a file
 * that is read-only on disk as a private writable mapping, {@code MAP_FIXED} remapping,
 * {@code flock}, {@code fallocate}. Every call that fails throws {@link PosixException} with
 * the call's name and the {@code errno} text. Not on any hot path: these run at open,
 * commit, freeze and close.
 *
 * <p>Constants are the Linux values shared by x86-64 and aarch64.
 */
@SuppressWarnings("restricted") // native access is what this class is for; launchers pass --enable-native-access
public final class Posix {
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0200;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 0x01;
    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 0x02;
    /** {@code MAP_FIXED}. */
    public static final int MAP_FIXED = 0x10;
    /** {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_NORESERVE}. */
    public static final int MAP_NORESERVE = 0x4000;
    /** {@code MS_SYNC}. */
    public static final int MS_SYNC = 4;
    /** {@code LOCK_SH}. */
    public static final int LOCK_SH = 1;
    /** {@code LOCK_EX}. */
    public static final int LOCK_EX = 2;
    /** {@code LOCK_NB}. */
    public static final int LOCK_NB = 4;
    /** {@code EINTR}. */
    public static final int EINTR = 4;
    /** {@code EAGAIN}, which is also {@code EWOULDBLOCK}. */
    public static final int EWOULDBLOCK = 11;
    /** {@code ENOSPC}. */
    public static final int ENOSPC = 28;
    /** {@code EFBIG}. */
    public static final int EFBIG = 27;
    /** {@code EOPNOTSUPP}. */
    public static final int EOPNOTSUPP = 95;
    /** {@code EINVAL}. */
    public static final int EINVAL = 22;
    /** {@code ENOLCK}. */
    public static final int ENOLCK = 37;
    /** {@code ENOSYS}. */
    public static final int ENOSYS = 38;
    /** {@code ENOENT}. */
    public static final int ENOENT = 2;
    /** {@code EEXIST}. */
    public static final int EEXIST = 17;

    private static final int SEEK_END = 2;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    /** Where {@code errno} is in the captured state: read with a plain get, no VarHandle to spin at start-up. */
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /**
     * Every call goes through this one downcall handle: six 64-bit integer arguments, a 64-bit
     * result, {@code errno} captured; the function's address comes first. The linker builds a
     * stub per distinct shape, and the first costs a fresh JVM about 50 ms of CPU, each further
     * one 6 to 9 ms more: one shape for the dozen calls of an open keeps a worker's start short.
     * It is exact for the calls here on the 64-bit Linux ABIs (x86-64 System V, AArch64): integer
     * and pointer arguments travel in the first six integer registers, each widened to 64 bits
     * (an {@code int} parameter reads the low half), a callee ignores registers it takes no
     * argument from, an {@code int} result is the low half of the return register (so results
     * are narrowed with {@code (int)} before they are compared), and {@code open}'s variadic
     * {@code mode} is read from the same register a fixed argument would be.
     */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG), ERRNO);

    /** The functions' addresses, looked up on first use. */
    private static final class Functions {
        static final MemorySegment OPEN = symbol("open");
        static final MemorySegment CLOSE = symbol("close");
        static final MemorySegment PREAD = symbol("pread");
        static final MemorySegment MMAP = symbol("mmap");
        static final MemorySegment MUNMAP = symbol("munmap");
        static final MemorySegment MSYNC = symbol("msync");
        static final MemorySegment FLOCK = symbol("flock");
        static final MemorySegment FALLOCATE = symbol("fallocate");
        static final MemorySegment FTRUNCATE = symbol("ftruncate");
        static final MemorySegment FSYNC = symbol("fsync");
        static final MemorySegment LSEEK = symbol("lseek");
        static final MemorySegment SYSCONF = symbol("sysconf");
        static final MemorySegment STRERROR = symbol("strerror");
    }

    private Posix() {
    }

    /** A failed system call: its name and {@code errno}. */
    public static final class PosixException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        PosixException(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        /** {@return the {@code errno} the call set} */
        public int errno() {
            return errno;
        }
    }

    /**
     * Opens a file.
     *
     * @param path  the file
     * @param flags {@code O_*} flags
     * @param mode  permission bits for a created file
     * @return the file descriptor
     * @throws PosixException if {@code open} fails
     */
    public static int open(String path, int flags, int mode) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = arena.allocateFrom(path);
            int fd;
            do {
                fd = (int) invoke(Functions.OPEN, state, cPath.address(), flags, mode, 0, 0, 0);
            } while (fd < 0 && errno(state) == EINTR);
            return (int) check("open", fd, state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Closes a file descriptor (errors are ignored: nothing can be done about them).
     *
     * @param fd the descriptor
     */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) invoke(Functions.CLOSE, arena.allocate(CALL_STATE), fd, 0, 0, 0, 0, 0);
            assert ignored == 0 || ignored == -1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Reads up to {@code into.byteSize()} bytes at a file offset.
     *
     * @param fd     the descriptor
     * @param into   native memory to fill
     * @param offset bytes from the start of the file
     * @return bytes read; fewer than asked only at the end of the file
     * @throws PosixException if {@code pread} fails
     */
    public static long pread(int fd, MemorySegment into, long offset) throws PosixException {
        if (!into.isNative()) {
            throw new IllegalArgumentException("pread fills native memory only, not " + into);
        }
        long done = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            while (done < into.byteSize()) {
                long n = invoke(Functions.PREAD, state, fd, into.address() + done, into.byteSize() - done, offset + done, 0, 0);
                if (n == 0) {
                    break;
                }
                if (n < 0 && errno(state) == EINTR) {
                    continue;
                }
                done += check("pread", n, state);
            }
            return done;
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Maps memory.
     *
     * @param address a hint, or with {@link #MAP_FIXED} the exact address; 0 for any
     * @param length  bytes
     * @param prot    {@code PROT_*}
     * @param flags   {@code MAP_*}
     * @param fd      the file, or -1 for anonymous memory
     * @param offset  file offset, page-aligned
     * @return the address of the mapping
     * @throws PosixException if {@code mmap} fails
     */
    public static long mmap(long address, long length, int prot, int flags, int fd, long offset) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return check("mmap", invoke(Functions.MMAP, state, address, length, prot, flags, fd, offset), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Unmaps memory.
     *
     * @param address start of the mapping
     * @param length  bytes
     * @throws PosixException if {@code munmap} fails
     */
    public static void munmap(long address, long length) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("munmap", (int) invoke(Functions.MUNMAP, state, address, length, 0, 0, 0, 0), state);
        }
    }

    /**
     * Writes a shared mapping's dirty pages to the file and waits for them.
     *
     * @param address page-aligned start
     * @param length  bytes
     * @throws PosixException if {@code msync} fails
     */
    public static void msync(long address, long length) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("msync", (int) invoke(Functions.MSYNC, state, address, length, MS_SYNC, 0, 0, 0), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Takes, converts or drops a whole-file lock (per open file description: closing the
     * descriptor drops it, and so does the process's death).
     *
     * @param fd        the descriptor
     * @param operation {@code LOCK_*}
     * @throws PosixException if {@code flock} fails ({@link #EWOULDBLOCK} with {@link #LOCK_NB}
     *                        when another holder excludes this one)
     */
    public static void flock(int fd, int operation) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc;
            do {
                rc = (int) invoke(Functions.FLOCK, state, fd, operation, 0, 0, 0, 0);
            } while (rc < 0 && errno(state) == EINTR);
            check("flock", rc, state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Allocates disk blocks for a range of a file, so that later writes to it through a
     * mapping cannot fail for want of space (which would be a SIGBUS, not an error).
     *
     * @param fd     the descriptor
     * @param offset bytes from the start of the file
     * @param length bytes
     * @throws PosixException if {@code fallocate} fails ({@link #ENOSPC} when the disk is full)
     */
    public static void fallocate(int fd, long offset, long length) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc;
            do {
                rc = (int) invoke(Functions.FALLOCATE, state, fd, 0, offset, length, 0, 0);
            } while (rc < 0 && errno(state) == EINTR);
            check("fallocate", rc, state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Sets a file's length.
     *
     * @param fd     the descriptor
     * @param length bytes
     * @throws PosixException if {@code ftruncate} fails
     */
    public static void ftruncate(int fd, long length) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("ftruncate", (int) invoke(Functions.FTRUNCATE, state, fd, length, 0, 0, 0, 0), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Flushes a file's data and metadata to the disk.
     *
     * @param fd the descriptor
     * @throws PosixException if {@code fsync} fails
     */
    public static void fsync(int fd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("fsync", (int) invoke(Functions.FSYNC, state, fd, 0, 0, 0, 0, 0), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Returns a file's length, from the descriptor (no race with a rename of the path).
     *
     * @param fd the descriptor
     * @return the length in bytes
     * @throws PosixException if {@code lseek} fails
     */
    public static long length(int fd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return check("lseek", invoke(Functions.LSEEK, state, fd, 0, SEEK_END, 0, 0, 0), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Returns the system's page size: the kernel's {@code AT_PAGESZ} from {@code /proc/self/auxv}
     * (what {@code sysconf} answers from too), read once; {@code sysconf} if that cannot be read.
     * No downcall in the usual case: one downcall signature fewer to link at open.
     *
     * @return the page size in bytes
     */
    public static long pageSize() {
        return PageSize.BYTES;
    }

    private static final class PageSize {
        static final long BYTES = read();

        private static final long AT_NULL = 0;
        private static final long AT_PAGESZ = 6;

        private static long read() {
            try {
                ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
                while (auxv.remaining() >= 2 * Long.BYTES) {
                    long type = auxv.getLong();
                    long value = auxv.getLong();
                    if (type == AT_PAGESZ && value > 0) {
                        return value;
                    }
                    if (type == AT_NULL) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc: ask libc
            }
            try (Arena arena = Arena.ofConfined()) {
                return invoke(Functions.SYSCONF, arena.allocate(CALL_STATE), SC_PAGESIZE, 0, 0, 0, 0, 0);
            }
        }
    }

    /** {@return whether this platform stores multi-byte values little-endian, as the format does} */
    public static boolean isLittleEndian() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    }

    /** Calls a function through {@link #CALL}; a {@code Throwable} of the call itself is a bug of this class. */
    private static long invoke(MemorySegment function, MemorySegment state, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) CALL.invokeExact(function, state, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new AssertionError("calling " + function + ": " + t, t);
        }
    }

    private static long check(String call, long result, MemorySegment state) throws PosixException {
        if (result == -1) {
            throw new PosixException(call, errno(state));
        }
        return result;
    }

    private static int errno(MemorySegment state) {
        return state.get(C_INT, ERRNO_OFFSET);
    }

    private static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            long text = invoke(Functions.STRERROR, arena.allocate(CALL_STATE), errno, 0, 0, 0, 0, 0);
            return text == 0 ? "errno " + errno : MemorySegment.ofAddress(text).reinterpret(256).getString(0);
        } catch (RuntimeException | AssertionError e) {
            return "errno " + errno;
        }
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }
}
