package dev.permafrost.heapdump;

import dev.permafrost.error.StoreAccessException;
import dev.permafrost.memory.NoSuchProcessException;
import dev.permafrost.memory.ProcessAccessDeniedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file mappings of a process, from {@code /proc/PID/maps}: what {@code cow} needs beyond
 * {@link dev.permafrost.memory.ProcessMemory} (the file offset each entry maps, to turn
 * addresses into store offsets) and what {@code workers} scans for every process.
 */
final class ProcMaps {
    /** One maps entry of a file. */
    record Entry(long startAddress, long endAddress, long fileOffset, long inode, String pathname) {
    }

    private ProcMaps() {
    }

    /**
     * Reads the file-backed entries of a process.
     *
     * @param pid the process
     * @return its file mappings, in address order
     * @throws NoSuchProcessException       if there is no such process
     * @throws ProcessAccessDeniedException if its maps may not be read
     */
    static List<Entry> read(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        List<String> lines;
        try {
            lines = Files.readAllLines(maps);
        } catch (NoSuchFileException e) {
            throw new NoSuchProcessException(pid, maps, e);
        } catch (AccessDeniedException e) {
            throw new ProcessAccessDeniedException(pid, maps, e);
        } catch (IOException e) {
            if (!Files.exists(maps.getParent())) {
                throw new NoSuchProcessException(pid, maps, e);
            }
            throw new StoreAccessException(maps, -1, "cannot read: " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 6);
            if (parts.length < 6 || parts[5].isBlank() || parts[5].startsWith("[") || "0".equals(parts[4])) {
                continue;
            }
            String[] range = parts[0].split("-");
            entries.add(new Entry(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16),
                    Long.parseUnsignedLong(parts[2], 16), Long.parseLong(parts[4]), parts[5].strip()));
        }
        return entries;
    }

    /**
     * Returns the name the kernel gives a file in {@code maps}: its real path.
     *
     * @param file a file
     * @return its absolute real path as text
     */
    static String kernelName(Path file) {
        try {
            return file.toRealPath().toString();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().toString();
        }
    }

    /**
     * Returns whether an entry maps that file (also once the file was removed).
     *
     * @param entry a maps entry
     * @param name  the file's {@linkplain #kernelName kernel name}
     * @return whether the entry maps it
     */
    static boolean maps(Entry entry, String name) {
        return entry.pathname().equals(name) || entry.pathname().equals(name + " (deleted)");
    }

    /** {@return the ids of every process on the host whose maps may be listed} */
    static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new StoreAccessException(Path.of("/proc"), -1, "cannot list processes: " + e.getMessage(), e);
        }
        pids.sort(null);
        return pids;
    }

    /**
     * Returns a process's command line, shortened, for tables.
     *
     * @param pid the process
     * @return its command line, or "?" if it cannot be read
     */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String s = new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return s.length() > 80 ? s.substring(0, 77) + "..." : s;
        } catch (IOException e) {
            return "?";
        }
    }
}
