package dev.permafrost.file;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import dev.permafrost.error.StoreFullException;
import dev.permafrost.error.StoreLockedException;
import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.UnsupportedFileSystemException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StoreHeaders;
import dev.permafrost.layout.SuperblockDescriptor;
import dev.permafrost.layout.SuperblockDescriptor.Superblock;
import dev.permafrost.os.Posix;
import dev.permafrost.os.Posix.PosixException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One store file: its descriptor, its lock, its validated header and its one mapping.
 *
 * <p>Validation happens once, before anything is mapped: the superblock and both commit slots
 * are read with {@code pread} and checked against each other and against the file's length by
 * {@link StoreHeaders#validate} (the validator the heap-dump CLI uses too), a store whose newest
 * commit a newer format wrote is refused ({@link StoreHeaders.Headers#checkNewestCommitIsReadable}),
 * and only then is the file mapped, never past its end.
 *
 * <p>Locking: an owner holds an exclusive {@code flock}, every other opener a shared one, so
 * workers never map a store an owner is writing, and an owner never opens a store workers
 * have mapped. The kernel drops the lock when the process dies, which is how a dead owner
 * is told from a live one. {@code flock} refuses a second lock in the same process too (each
 * open has its own), so a second owner in one JVM is refused; the files this process has open
 * are kept so that the refusal says it is this process, not another.
 *
 * <p>Mapping: one contiguous range for the life of the store. The owner maps the file
 * shared. A copy-on-write opener maps anonymous private memory for the whole range and the
 * file privately over its start, so objects it allocates above the file are at the same
 * offsets as they would be in the file. Freeze replaces the owner's shared mapping with that
 * layout in place ({@code MAP_FIXED}), so the segment and every offset stay valid.
 *
 * <p>Closing: the arena over the mapping is closed (so every access through {@link #memory()}
 * throws from then on), and the range is then not unmapped but overmapped with anonymous zero
 * pages ({@code MAP_FIXED | MAP_NORESERVE}): the file is released at once, but the addresses
 * stay valid memory, because the hot paths that read by address ({@link RawMemory}) may still be
 * inside one and a thread that raced the close must read zeros (and go on to a
 * closed-store exception), not fault. The range is unmapped when this object becomes
 * unreachable ({@link Cleaner}); raw readers keep it reachable across their accesses.
 * An untouched range of zero pages costs address space only.
 *
 * <p>Thread rules: {@link #commit}, {@link #freeze} and {@link #close} are called by the
 * store with allocation stopped; {@link #reserve} under the allocator's lock.
 */
@SuppressWarnings("restricted") // a mapping made by mmap becomes a segment through reinterpret
public final class StoreFile {
    /** How the file is opened. */
    public enum Access {
        /** Read-write shared mapping, exclusive lock. */
        OWNER,
        /** Private writable mapping of the file plus anonymous memory above it, shared lock. */
        PRIVATE,
        /** Read-only shared mapping, shared lock. */
        READ_ONLY
    }

    /** Private memory mapped above a frozen file for a copy-on-write opener, at least, when none is asked for. */
    public static final long MIN_PRIVATE_BYTES = 64L << 20;
    /** The size of a huge page on x86-64 and 4 KiB-page arm64, which a private mapping starts on. */
    static final long HUGE_PAGE_BYTES = 2L << 20;

    private static final int CREATE_MODE = 0644;
    private static final int EACCES = 13;
    private static final int EROFS = 30;

    /** Unmaps the address ranges of closed files once nothing can reach them. */
    private static final Cleaner RANGES = Cleaner.create();

    /**
     * The files this process has open, from a successful open or create until close: whom a
     * refused {@code flock} met, when it is this process ({@code flock} refuses a second lock of
     * one file in one process as it refuses another process's). Only ever read to word a refusal;
     * the lock alone decides who gets in.
     */
    private static final Set<StoreFile> OPEN_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final int fd;
    private final Superblock superblock;
    private final long address;
    private final long mappedBytes;
    private final Arena arena;
    private final MemorySegment memory;
    private final Range range;
    /** The file's identity (device and inode, {@link BasicFileAttributes#fileKey}), or {@code null} if unknown. */
    private final Object fileKey;
    private CommitSlot committed;
    private volatile Access access;

    private StoreFile(Path path, int fd, Access access, Superblock superblock, CommitSlot committed, long address,
                      long mappedBytes) {
        this.path = path;
        this.fd = fd;
        this.access = access;
        this.superblock = superblock;
        this.committed = committed;
        this.address = address;
        this.mappedBytes = mappedBytes;
        this.arena = Arena.ofShared();
        this.range = new Range(address, mappedBytes);
        this.fileKey = fileKey(path);
        RANGES.register(this, range);
        MemorySegment mapped = MemorySegment.ofAddress(address).reinterpret(mappedBytes, arena, segment -> retire());
        this.memory = access == Access.READ_ONLY ? mapped.asReadOnly() : mapped;
    }

    /**
     * Creates a store file: exclusive create, exclusive lock, sparse file of the full
     * capacity, the fixed pages and a first chunk of heap reserved on disk, the superblock and
     * a first (not clean) commit written and synced.
     *
     * @param path          the new file; must not exist
     * @param capacityBytes capacity, a page multiple within the format's limits (validated by the caller)
     * @return the open file, accessed as {@link Access#OWNER}
     * @throws StoreAccessException if the file exists or cannot be created
     * @throws StoreFullException   if the disk has no room for the fixed pages
     */
    public static StoreFile create(Path path, long capacityBytes) {
        checkPlatform(path);
        int fd;
        try {
            fd = Posix.open(path.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, CREATE_MODE);
        } catch (PosixException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET,
                    e.errno() == Posix.EEXIST ? "cannot create the store: the file exists" : "cannot create the store: " + e.getMessage(), e);
        }
        try {
            lockOrSayUnsupported(path, fd, Posix.LOCK_EX | Posix.LOCK_NB);
            Posix.ftruncate(fd, capacityBytes);
            reserve(path, fd, 0, StoreFormat.HEAP_START_OFFSET);
            long address = Posix.mmap(0, capacityBytes, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, fd, 0);
            MemorySegment page0 = MemorySegment.ofAddress(address).reinterpret(StoreFormat.PAGE_SIZE);
            SuperblockDescriptor.encode(page0, capacityBytes, System.currentTimeMillis());
            Superblock superblock = SuperblockDescriptor.decode(page0, path);
            CommitSlot first = new CommitSlot(1, 0, StoreFormat.HEAP_START_OFFSET, 0, 0, 0, 0, 0, 0, 0, 0,
                    new long[SizeClasses.COUNT]);
            StoreFile file = new StoreFile(path, fd, Access.OWNER, superblock, first, address, capacityBytes);
            file.writeFirstSlot(first);
            OPEN_IN_THIS_PROCESS.add(file);
            return file;
        } catch (PosixException e) {
            Posix.close(fd);
            deleteQuietly(path);
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot create the store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Posix.close(fd);
            deleteQuietly(path);
            throw e;
        }
    }

    /**
     * Opens and validates a store file, then maps it.
     *
     * @param path         the file
     * @param access       how to open it
     * @param privateBytes for {@link Access#PRIVATE} on a frozen store: bytes of private memory
     *                     to map above the file for the process's own objects, a page multiple;
     *                     0 for the store's unused capacity, at least {@link #MIN_PRIVATE_BYTES}
     * @return the open file
     * @throws PermafrostException a typed exception naming the file and what is wrong with it
     */
    public static StoreFile open(Path path, Access access, long privateBytes) {
        return open(path, access, privateBytes, false);
    }

    /**
     * Opens a store whose owner died, for recovery: as an owner (exclusive lock, shared
     * read-write mapping of the whole file), but a newest commit that is not clean is accepted,
     * and nothing is written: the caller repairs the heap and commits.
     *
     * @param path the file
     * @return the open file, accessed as {@link Access#OWNER}, at its newest valid commit
     * @throws StoreStateException if the store is frozen or was closed cleanly (nothing to recover)
     * @throws PermafrostException a typed exception naming the file and what is wrong with it
     */
    public static StoreFile openForRecovery(Path path) {
        return open(path, Access.OWNER, 0, true);
    }

    /**
     * Reads and validates a store's header without mapping it or writing anything, under a
     * shared lock held only while it reads (so a live owner is refused).
     *
     * @param path the file
     * @return the validated header
     * @throws StoreLockedException if an owner has the store open
     * @throws PermafrostException  a typed exception naming the file and what is wrong with it
     */
    public static StoreHeaders.Headers inspect(Path path) {
        checkPlatform(path);
        int fd;
        try {
            fd = openFile(path, Posix.O_RDONLY);
        } catch (PosixException e) {
            throw accessFailed(path, e);
        }
        try {
            if (!lock(path, fd, false)) {
                throw new StoreLockedException(path, PermafrostException.NO_OFFSET, lockedBy(heldInThisProcess(path), false));
            }
            return readHeaders(path, fd, Posix.length(fd));
        } catch (PosixException e) {
            throw accessFailed(path, e);
        } finally {
            Posix.close(fd);
        }
    }

    private static StoreFile open(Path path, Access access, long privateBytes, boolean recovering) {
        checkPlatform(path);
        if (Files.isDirectory(path)) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "is a directory, not a store file");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) { // a FIFO would block open(2) until a writer came
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET,
                    "is not a regular file (a pipe, socket or device), not a store file");
        }
        boolean owner = access == Access.OWNER;
        int fd;
        boolean writeDenied = false;
        try {
            fd = openFile(path, owner ? Posix.O_RDWR : Posix.O_RDONLY);
        } catch (PosixException e) {
            if (!owner || (e.errno() != EACCES && e.errno() != EROFS)) {
                throw accessFailed(path, e);
            }
            writeDenied = true;
            try {
                fd = openFile(path, Posix.O_RDONLY);
            } catch (PosixException again) {
                throw accessFailed(path, again);
            }
        }
        try {
            boolean locked = lock(path, fd, owner && !writeDenied);
            long length = Posix.length(fd);
            StoreHeaders.Headers headers;
            try {
                headers = readHeaders(path, fd, length);
            } catch (PermafrostException e) {
                if (locked) {
                    throw e;
                }
                // another process holds the lock and may be writing the file right now (an owner
                // creating it or committing): what was read is no verdict on the file
                throw new StoreLockedException(path, PermafrostException.NO_OFFSET, (heldInThisProcess(path) != null
                        ? "this process" : "another process") + " holds the store's lock and the file did not validate"
                        + " while it did (" + e.getMessage() + ")", e);
            }
            Superblock superblock = headers.superblock();
            CommitSlot slot = headers.committed();
            if (owner && slot.isFrozen()) {
                throw new StoreStateException(path, PermafrostException.NO_OFFSET,
                        "the store is frozen and immutable: open it copy-on-write or read-only, not as owner");
            }
            if (writeDenied) {
                throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot open the store as owner: no permission to write the file");
            }
            if (!locked) {
                throw new StoreLockedException(path, PermafrostException.NO_OFFSET, lockedBy(heldInThisProcess(path), owner));
            }
            if (owner) { // the owner grows the file: a file system that cannot reserve is refused now, not at a SIGBUS
                reserve(path, fd, 0, StoreFormat.HEAP_START_OFFSET); // already reserved: only asks whether it can be
            }
            if (recovering && (slot.isClean() || slot.isFrozen())) {
                throw new StoreStateException(path, PermafrostException.NO_OFFSET, "the store is "
                        + (slot.isFrozen() ? "frozen" : "closed cleanly") + ": there is nothing to recover");
            }
            if (!slot.isClean() && !recovering) {
                throw new StoreNotCleanException(path, CommitSlotDescriptor.slotOffset(slot.generation()),
                        "the store was not closed cleanly: its owner died after commit generation " + slot.generation()
                                + damagedSuccessor(headers) + "; Store.recover (scripts/heap-dump recover FILE) brings it"
                                + " back to that commit, then it opens");
            }
            long fileBytes = slot.isFrozen() ? slot.frozenBoundaryOffset() : length;
            long above = access != Access.PRIVATE || !slot.isFrozen() ? 0 : privateBytes > 0 ? privateBytes
                    : Math.max(MIN_PRIVATE_BYTES, superblock.capacityBytes() - fileBytes);
            long address = map(fd, access, fileBytes, above);
            long mapped = fileBytes + above;
            StoreFile file = new StoreFile(path, fd, access, superblock, slot, address, mapped);
            if (owner && !recovering) {
                file.writeFirstSlot(slot.next(slot.generation() + 1, 0)); // dirty while the owner has it open
            }
            OPEN_IN_THIS_PROCESS.add(file);
            return file;
        } catch (PosixException e) {
            Posix.close(fd);
            throw accessFailed(path, e);
        } catch (RuntimeException e) {
            Posix.close(fd);
            throw e;
        }
    }

    /** For the not-clean message: the other slot is damaged (a commit after this one was torn, or damaged since). */
    private static String damagedSuccessor(StoreHeaders.Headers headers) {
        StoreHeaders.SlotReport other = headers.slot(CommitSlotDescriptor.slotOffset(headers.committed().generation())
                == StoreFormat.COMMIT_SLOT_0_OFFSET ? 1 : 0);
        return other.state() == StoreHeaders.SlotState.DAMAGED ? " (the other commit slot is damaged: " + other.problem() + ")" : "";
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    /** {@return the memory of the whole mapping, from offset 0 of the file} */
    public MemorySegment memory() {
        return memory;
    }

    /** {@return the address the mapping starts at, for matching it in {@code /proc/PID/maps}} */
    public long address() {
        return address;
    }

    /** {@return bytes mapped: the file, plus private memory above it} */
    public long mappedBytes() {
        return mappedBytes;
    }

    /** {@return how the file is accessed now} */
    public Access access() {
        return access;
    }

    /** {@return the superblock} */
    public Superblock superblock() {
        return superblock;
    }

    /** {@return the newest commit, as opened or as last written} */
    public CommitSlot committed() {
        return committed;
    }

    /**
     * Reserves disk blocks for a range of the file ({@code fallocate}), so writes to it through
     * the mapping cannot fail for want of space.
     *
     * @param fromOffset start, bytes from the start of the file
     * @param toOffset   end
     * @throws StoreFullException if the disk is full
     */
    public void reserve(long fromOffset, long toOffset) {
        try {
            reserve(path, fd, fromOffset, toOffset - fromOffset);
        } catch (PosixException e) {
            throw new StoreAccessException(path, fromOffset, "cannot reserve space: " + e.getMessage(), e);
        }
    }

    /**
     * Commits: syncs the heap, then writes the state into the older slot and syncs it.
     *
     * @param state the state to commit; its generation must be the next one
     */
    public void commit(CommitSlot state) {
        try {
            Posix.msync(address, StoreFormat.alignToPage(Math.min(state.bumpOffset(), mappedBytes)));
        } catch (PosixException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot sync the heap: " + e.getMessage(), e);
        }
        writeSlot(state);
    }

    /**
     * Finishes a freeze: commits the frozen state, trims the file to the frozen boundary,
     * makes it read-only on disk, and swaps the shared mapping for a private one in place,
     * so the caller goes on with the same memory, now copy-on-write above nothing shared.
     *
     * @param frozen the frozen state (flags {@code CLEAN | FROZEN}, boundary set)
     */
    public void freeze(CommitSlot frozen) {
        long boundary = frozen.frozenBoundaryOffset();
        try {
            commit(frozen);
            writeSlot(frozen.next(frozen.generation() + 1, frozen.flags())); // both slots frozen: one damaged slot leaves the other
            Posix.mmap(address + boundary, mappedBytes - boundary, Posix.PROT_READ | Posix.PROT_WRITE,
                    Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_FIXED | Posix.MAP_NORESERVE, -1, 0);
            Posix.ftruncate(fd, boundary);
            Posix.fsync(fd);
            Posix.mmap(address, boundary, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_PRIVATE | Posix.MAP_FIXED, fd, 0);
            Posix.flock(fd, Posix.LOCK_SH | Posix.LOCK_NB);
        } catch (PosixException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "freeze failed: " + e.getMessage(), e);
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_WRITE));
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            // the store is frozen either way; a writable file is only less protected
        }
        access = Access.PRIVATE;
    }

    /**
     * Closes the arena, replaces the file's pages with zero pages (see the class comment) and
     * closes the file, which drops the lock. Idempotent only through the store's state machine.
     */
    public void close() {
        try {
            arena.close();
        } finally {
            Posix.close(fd);
            OPEN_IN_THIS_PROCESS.remove(this); // after the lock went: while it is held, it is found
        }
    }

    /** The slot written as the file is created or opened; if that fails, the mapping goes too (the caller closes the descriptor). */
    private void writeFirstSlot(CommitSlot state) {
        try {
            writeSlot(state);
        } catch (RuntimeException e) {
            try {
                arena.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void writeSlot(CommitSlot state) {
        long offset = CommitSlotDescriptor.slotOffset(state.generation());
        CommitSlotDescriptor.encode(memory.asSlice(offset, CommitSlotDescriptor.LENGTH), state);
        try {
            Posix.msync(address + offset, CommitSlotDescriptor.LENGTH);
        } catch (PosixException e) {
            throw new StoreAccessException(path, offset, "cannot sync the commit slot: " + e.getMessage(), e);
        }
        committed = state;
    }

    /** Runs as the arena closes: the file's pages go, the address range stays (zero pages) until {@link Range} unmaps it. */
    private void retire() {
        try {
            Posix.mmap(address, mappedBytes, Posix.PROT_READ | Posix.PROT_WRITE,
                    Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_FIXED | Posix.MAP_NORESERVE, -1, 0);
        } catch (PosixException e) { // the file stays mapped: safe, only not released
            throw new IllegalStateException("cannot release the mapping of " + path + ": " + e.getMessage(), e);
        }
        range.retired = true;
    }

    /**
     * A mapping's address range, unmapped by the {@link Cleaner} once its file is unreachable,
     * if the file was closed (a file never closed keeps its mapping: something may still use it).
     */
    private static final class Range implements Runnable {
        private final long address;
        private final long bytes;
        private volatile boolean retired;

        Range(long address, long bytes) {
            this.address = address;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            if (retired) {
                try {
                    Posix.munmap(address, bytes);
                } catch (PosixException e) { // nothing to report to: the range stays reserved
                }
            }
        }
    }

    private static int openFile(Path path, int flags) throws PosixException {
        return Posix.open(path.toString(), flags | Posix.O_CLOEXEC, 0);
    }

    /** Takes the lock without waiting; false if another holder excludes this one. */
    private static boolean lock(Path path, int fd, boolean exclusive) throws PosixException {
        try {
            lockOrSayUnsupported(path, fd, (exclusive ? Posix.LOCK_EX : Posix.LOCK_SH) | Posix.LOCK_NB);
            return true;
        } catch (PosixException e) {
            if (e.errno() == Posix.EWOULDBLOCK) {
                return false;
            }
            throw e;
        }
    }

    /** {@code flock}, with the errors of a file system that has no such locks (NFS without lockd, some FUSE and 9p) typed. */
    private static void lockOrSayUnsupported(Path path, int fd, int operation) throws PosixException {
        try {
            Posix.flock(fd, operation);
        } catch (PosixException e) {
            if (isUnsupportedLock(e.errno())) {
                throw unsupported(path, "flock", e, "cannot lock the store file (" + e.getMessage() + "); Permafrost"
                        + " needs flock to tell a live owner from a dead one and to keep openers off a store its owner"
                        + " writes");
            }
            throw e;
        }
    }

    /** {@return whether a {@code flock} errno says the file system cannot lock, rather than that someone holds the lock} */
    static boolean isUnsupportedLock(int errno) {
        return errno == Posix.ENOLCK || errno == Posix.EINVAL || errno == Posix.EOPNOTSUPP || errno == Posix.ENOSYS;
    }

    /** The typed error for a file system that lacks {@code call}, naming its type and mount point. */
    static UnsupportedFileSystemException unsupported(Path path, String call, Exception cause, String why) {
        String[] fileSystem = fileSystemOf(path);
        return new UnsupportedFileSystemException(path, fileSystem[0], call, "the file system under the store ("
                + fileSystem[0] + (fileSystem[1].isEmpty() ? "" : " mounted at " + fileSystem[1]) + ") does not support "
                + call + ": " + why + "; put the store on a local file system that has it (ext4, xfs, btrfs, tmpfs)", cause);
    }

    /**
     * The file system a path is on, from {@code /proc/self/mountinfo}: the mount whose mount point
     * is the longest prefix of the path's real directory.
     *
     * @return {type, mount point}; {@code {"unknown", ""}} if it cannot be read
     */
    static String[] fileSystemOf(Path path) {
        try {
            Path absolute = path.toAbsolutePath();
            Path directory = Files.exists(absolute) ? absolute.toRealPath() : absolute.getParent().toRealPath();
            String best = null;
            String type = "unknown";
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
                String[] fields = line.split(" ");
                int dash = java.util.Arrays.asList(fields).indexOf("-");
                if (fields.length < 5 || dash < 0 || dash + 1 >= fields.length) {
                    continue;
                }
                String mountPoint = unescape(fields[4]);
                if (directory.startsWith(mountPoint) && (best == null || mountPoint.length() >= best.length())) {
                    best = mountPoint;
                    type = fields[dash + 1];
                }
            }
            return new String[] {type, best == null ? "" : best};
        } catch (IOException | RuntimeException e) {
            return new String[] {"unknown", ""};
        }
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                try {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Why a lock was refused: by this process (a second {@code Store} on the file in this JVM) or by another. */
    private static String lockedBy(StoreFile inThisProcess, boolean owner) {
        if (inThisProcess == null) {
            return owner ? "another process has the store open (an owner, or copy-on-write or read-only openers)"
                    : "its owner has the store open; copy-on-write and read-only openers need a store no owner holds";
        }
        if (inThisProcess.access == Access.OWNER) {
            return owner ? "this process already has the store open as owner; a second owner is refused (use the open store)"
                    : "this process has the store open as owner; copy-on-write and read-only openers need a store no owner holds";
        }
        return "this process has the store open copy-on-write or read-only (other processes may too); an owner needs a"
                + " store nobody else has open";
    }

    /** {@return a file of this process open on the same file as {@code path}, or {@code null}} */
    private static StoreFile heldInThisProcess(Path path) {
        Object key = fileKey(path);
        if (key == null) {
            return null;
        }
        for (StoreFile file : OPEN_IN_THIS_PROCESS) {
            if (key.equals(file.fileKey)) {
                return file;
            }
        }
        return null;
    }

    /** {@return the file's identity (device and inode on Linux), or {@code null} if it cannot be read} */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Reads the fixed pages ({@code pread}, nothing mapped) and validates them against the length. */
    private static StoreHeaders.Headers readHeaders(Path path, int fd, long length) throws PosixException {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment head = scratch.allocate(StoreHeaders.LENGTH);
            long read = length == 0 ? 0 : Posix.pread(fd, head, 0);
            StoreHeaders.Headers headers = StoreHeaders.validate(head.asSlice(0, read), length, path);
            headers.checkNewestCommitIsReadable();
            return headers;
        }
    }

    private static long map(int fd, Access access, long length, long privateBytes) throws PosixException {
        int readWrite = Posix.PROT_READ | Posix.PROT_WRITE;
        return switch (access) {
            case OWNER -> Posix.mmap(0, length, readWrite, Posix.MAP_SHARED, fd, 0);
            case READ_ONLY -> Posix.mmap(0, length, Posix.PROT_READ, Posix.MAP_SHARED, fd, 0);
            case PRIVATE -> {
                long total = length + privateBytes;
                long address = reserveHugePageAligned(total, readWrite);
                try {
                    Posix.mmap(address, length, readWrite, Posix.MAP_PRIVATE | Posix.MAP_FIXED, fd, 0);
                } catch (PosixException e) {
                    Posix.munmap(address, total);
                    throw e;
                }
                yield address;
            }
        };
    }

    /**
     * Reserves private address space that starts at a multiple of {@link #HUGE_PAGE_BYTES}, so that
     * the file mapped over it at offset 0 lines up with the page cache's large folios and the
     * kernel can map each 2 MiB of them with one page-table entry: random reads of a large
     * frozen store then miss the TLB far less. Copy-on-write is unchanged (a write splits the
     * entry and copies 4 KiB). Over-reserves by one huge page and gives back both ends.
     */
    private static long reserveHugePageAligned(long bytes, int protection) throws PosixException {
        long padded = bytes + HUGE_PAGE_BYTES;
        long address = Posix.mmap(0, padded, protection, Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
        long aligned = (address + HUGE_PAGE_BYTES - 1) & -HUGE_PAGE_BYTES;
        long end = aligned + (bytes + StoreFormat.PAGE_SIZE - 1) / StoreFormat.PAGE_SIZE * StoreFormat.PAGE_SIZE;
        if (aligned > address) {
            Posix.munmap(address, aligned - address);
        }
        if (address + padded > end) {
            Posix.munmap(end, address + padded - end);
        }
        return aligned;
    }

    private static void reserve(Path path, int fd, long offset, long length) throws PosixException {
        try {
            Posix.fallocate(fd, offset, length);
        } catch (PosixException e) {
            if (e.errno() == Posix.ENOSPC || e.errno() == Posix.EFBIG) {
                throw new StoreFullException(path, offset, "the disk has no room for the " + length
                        + " bytes the store reserves ahead of its allocations (" + e.getMessage() + ")");
            }
            if (e.errno() == Posix.EOPNOTSUPP || e.errno() == Posix.ENOSYS) {
                throw unsupported(path, "fallocate", e, "the store reserves disk space (" + e.getMessage() + ") ahead"
                        + " of its writes through the mapping, so that a full disk is a StoreFullException; without it"
                        + " a full disk would be a SIGBUS that kills the JVM");
            }
            throw e;
        }
    }

    private static StoreAccessException accessFailed(Path path, PosixException e) {
        String reason = e.errno() == Posix.ENOENT ? "no such file" : e.getMessage();
        return new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot open the store: " + reason, e);
    }

    private static void checkPlatform(Path path) {
        if (Posix.pageSize() != StoreFormat.PAGE_SIZE || !Posix.isLittleEndian()) {
            throw new StoreStateException(path, PermafrostException.NO_OFFSET, "this platform has " + Posix.pageSize()
                    + "-byte pages and " + java.nio.ByteOrder.nativeOrder() + " byte order; Permafrost needs 4096-byte pages, little-endian");
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // nothing more to lose
        }
    }
}
