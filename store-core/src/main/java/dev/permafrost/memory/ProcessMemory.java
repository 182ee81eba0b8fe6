package dev.permafrost.memory;

import dev.permafrost.error.StoreAccessException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a process's memory accounting for a store's mapping from {@code /proc}: totals from
 * {@code smaps}, per-page state from {@code pagemap}.
 *
 * <pre>{@code
 * MappingMemory m = ProcessMemory.ofFile(workerPid, storePath);   // Rss, Pss, copied bytes
 * PageMap pages = ProcessMemory.pages(ProcessHandle.current().pid(), store.mappingAddress(), fileBytes);
 * }</pre>
 *
 * <p>Errors are typed: {@link NoSuchProcessException}, {@link MappingNotFoundException},
 * {@link ProcessAccessDeniedException}.
 */
public final class ProcessMemory {
    private static final String DELETED_SUFFIX = " (deleted)";
    /** Pagemap bytes read per system call: 4 MiB of entries cover 2 GiB of address space. */
    private static final int PAGEMAP_CHUNK_BYTES = 4 << 20;

    private ProcessMemory() {
    }

    /**
     * Returns the accounting of every mapping of a file in a process, summed: by the file's
     * path as the kernel names it (a removed file is named with {@code " (deleted)"}).
     *
     * @param pid  the process
     * @param file the store file
     * @return its mapping's totals
     * @throws ProcessMemoryException if the process does not exist, does not map the file, or
     *                                may not be read
     */
    public static MappingMemory ofFile(long pid, Path file) {
        return sum(pid, fileVmas(pid, file));
    }

    /**
     * Reads the state of every page of a process's mappings of a file, from the first page of
     * its lowest mapping to the last of its highest. Pages between two mappings of the file
     * (another mapping, or none) read as {@link PageState#ABSENT}: a process that maps the file
     * twice, with its own anonymous memory between, shows only the file's pages.
     *
     * @param pid  the process
     * @param file the store file
     * @return the pages' states, page 0 at the lowest mapping's start
     * @throws ProcessMemoryException if the process does not exist, does not map the file, or
     *                                may not be read
     */
    public static PageMap pagesOfFile(long pid, Path file) {
        List<Vma> vmas = fileVmas(pid, file);
        long start = vmas.stream().mapToLong(v -> v.start).min().orElseThrow();
        long end = vmas.stream().mapToLong(v -> v.end).max().orElseThrow();
        PageMap all = pages(pid, start, end - start);
        return all.onlyWithin(vmas.stream().map(v -> new long[] {v.start, v.end}).toList());
    }

    private static List<Vma> fileVmas(long pid, Path file) {
        String name = kernelName(file);
        List<Vma> vmas = readSmaps(pid, vma -> vma.pathname.equals(name) || vma.pathname.equals(name + DELETED_SUFFIX));
        if (vmas.isEmpty()) {
            throw new MappingNotFoundException(pid, file, "maps no file named " + name
                    + " (looked in /proc/" + pid + "/smaps, also for \"" + name + DELETED_SUFFIX + "\")");
        }
        return vmas;
    }

    /**
     * Returns the accounting of the file-backed mappings that overlap an address range, summed.
     * Anonymous memory in the range is left out: in a frozen store opened copy-on-write, the
     * memory above the file holds the process's own objects, which are not copies of anything.
     * An entry that only partly overlaps the range counts whole.
     *
     * @param pid     the process
     * @param address start of the range, e.g. {@code Store.mappingAddress()}
     * @param bytes   length of the range
     * @return the totals of the file-backed entries in the range
     * @throws ProcessMemoryException if the process does not exist, maps no file in the range,
     *                                or may not be read
     */
    public static MappingMemory ofRange(long pid, long address, long bytes) {
        long end = address + bytes;
        List<Vma> vmas = readSmaps(pid, vma -> vma.inode != 0 && vma.start < end && vma.end > address);
        if (vmas.isEmpty()) {
            throw new MappingNotFoundException(pid, null, "maps no file in [0x" + Long.toHexString(address) + ", 0x"
                    + Long.toHexString(end) + ")");
        }
        return sum(pid, vmas);
    }

    /**
     * Reads the state of every page of an address range from {@code /proc/PID/pagemap}, in
     * chunks of a few MiB: 1 GiB of mapping is 2 MiB of pagemap, one or two reads.
     *
     * @param pid     the process
     * @param address start of the range, page-aligned
     * @param bytes   length of the range; a partial last page counts as a page
     * @return the pages' states
     * @throws ProcessMemoryException if the process does not exist or may not be read
     */
    public static PageMap pages(long pid, long address, long bytes) {
        if ((address & (PageMap.PAGE_BYTES - 1)) != 0 || bytes < 0) {
            throw new IllegalArgumentException("range [0x" + Long.toHexString(address) + ", +" + bytes
                    + ") is not page-aligned or negative");
        }
        long pageCount = (bytes + PageMap.PAGE_BYTES - 1) / PageMap.PAGE_BYTES;
        if (pageCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bytes + " bytes is more pages than one PageMap holds");
        }
        Path pagemap = procFile(pid, "pagemap");
        byte[] states = new byte[(int) pageCount];
        int exclusive = 0;
        try (FileChannel channel = FileChannel.open(pagemap, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(PAGEMAP_CHUNK_BYTES, Math.max(8, pageCount * 8)))
                    .order(ByteOrder.nativeOrder());
            long firstEntryOffset = address / PageMap.PAGE_BYTES * 8;
            int page = 0;
            while (page < pageCount) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), (pageCount - page) * 8));
                long position = firstEntryOffset + (long) page * 8;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, position + buffer.position());
                    if (n < 0) {
                        throw new MappingNotFoundException(pid, null, "pagemap ends before 0x"
                                + Long.toHexString(address + bytes));
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    long entry = buffer.getLong();
                    PageState state = PageMap.classify(entry);
                    states[page++] = (byte) state.ordinal();
                    if (state == PageState.FILE && (entry & PageMap.EXCLUSIVE_BIT) != 0) {
                        exclusive++;
                    }
                }
            }
        } catch (IOException e) {
            throw translate(pid, pagemap, e);
        }
        return new PageMap(pid, address, states, exclusive);
    }

    /**
     * Returns the name the kernel gives a file in {@code smaps}: its real path (symbolic links
     * resolved), or for a file that no longer exists, its parent's real path and its name.
     *
     * @param file the file
     * @return the absolute, resolved path as text
     */
    static String kernelName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath().toString();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            try {
                return parent == null ? absolute.toString() : parent.toRealPath().resolve(absolute.getFileName()).toString();
            } catch (IOException again) {
                return absolute.toString();
            }
        }
    }

    /** One smaps entry: the header line's range, inode and pathname, and the sizes this reads (bytes). */
    private static final class Vma {
        final long start;
        final long end;
        final long inode;
        final String pathname;
        long rss;
        long pss;
        long sharedClean;
        long sharedDirty;
        long privateClean;
        long privateDirty;
        long anonymous;

        Vma(long start, long end, long inode, String pathname) {
            this.start = start;
            this.end = end;
            this.inode = inode;
            this.pathname = pathname;
        }
    }

    private static List<Vma> readSmaps(long pid, Predicate<Vma> wanted) {
        Path smaps = procFile(pid, "smaps");
        List<Vma> found = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(smaps, StandardCharsets.UTF_8)) {
            Vma current = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Vma header = parseHeader(line);
                if (header != null) {
                    current = wanted.test(header) ? header : null;
                    if (current != null) {
                        found.add(current);
                    }
                } else if (current != null) {
                    field(current, line);
                }
            }
        } catch (IOException e) {
            throw translate(pid, smaps, e);
        }
        return found;
    }

    /** Parses "start-end perms offset dev inode   pathname", or returns null for a field line. */
    private static Vma parseHeader(String line) {
        int dash = line.indexOf('-');
        if (dash <= 0 || !isHex(line, 0, dash)) {
            return null;
        }
        String[] parts = line.split("\\s+", 6);
        if (parts.length < 5) {
            return null;
        }
        String[] range = parts[0].split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        long inode = Long.parseLong(parts[4]);
        return new Vma(start, end, inode, parts.length == 6 ? parts[5].strip() : "");
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds a "Name:   123 kB" line to the entry when it is one of the sizes this reads. */
    private static void field(Vma vma, String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !line.endsWith(" kB")) {
            return;
        }
        String key = line.substring(0, colon);
        long bytes = Long.parseLong(line.substring(colon + 1, line.length() - 3).strip()) * 1024;
        switch (key) {
            case "Rss" -> vma.rss += bytes;
            case "Pss" -> vma.pss += bytes;
            case "Shared_Clean" -> vma.sharedClean += bytes;
            case "Shared_Dirty" -> vma.sharedDirty += bytes;
            case "Private_Clean" -> vma.privateClean += bytes;
            case "Private_Dirty" -> vma.privateDirty += bytes;
            case "Anonymous" -> vma.anonymous += bytes;
            default -> { }
        }
    }

    private static MappingMemory sum(long pid, List<Vma> vmas) {
        long start = Long.MAX_VALUE;
        long end = 0;
        long size = 0;
        long rss = 0;
        long pss = 0;
        long sharedClean = 0;
        long sharedDirty = 0;
        long privateClean = 0;
        long privateDirty = 0;
        long anonymous = 0;
        for (Vma vma : vmas) {
            start = Math.min(start, vma.start);
            end = Math.max(end, vma.end);
            size += vma.end - vma.start;
            rss += vma.rss;
            pss += vma.pss;
            sharedClean += vma.sharedClean;
            sharedDirty += vma.sharedDirty;
            privateClean += vma.privateClean;
            privateDirty += vma.privateDirty;
            anonymous += vma.anonymous;
        }
        return new MappingMemory(pid, vmas.getFirst().pathname, start, end, vmas.size(), size, rss, pss, sharedClean,
                sharedDirty, privateClean, privateDirty, anonymous);
    }

    private static Path procFile(long pid, String name) {
        if (pid <= 0) {
            throw new IllegalArgumentException("process id " + pid + " is not positive");
        }
        return Path.of("/proc", Long.toString(pid), name);
    }

    private static RuntimeException translate(long pid, Path file, IOException e) {
        if (e instanceof NoSuchFileException || !Files.exists(file.getParent())) {
            return new NoSuchProcessException(pid, file, e);
        }
        if (e instanceof AccessDeniedException) {
            return new ProcessAccessDeniedException(pid, file, e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("No such process")) {       // ESRCH: it exited while being read
            return new NoSuchProcessException(pid, file, e);
        }
        if (message.contains("Permission denied") || message.contains("Operation not permitted")) {
            return new ProcessAccessDeniedException(pid, file, e);
        }
        return new StoreAccessException(file, -1, "cannot read " + file + ": " + e.getMessage(), e);
    }
}
