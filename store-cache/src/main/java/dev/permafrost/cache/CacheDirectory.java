package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cache directory: version files {@code version-NNNNNNNNNN.pf} (stores) and {@code CURRENT},
 * which holds the name of the current one and a newline. {@code CURRENT} is only ever replaced
 * by renaming a complete, synced file over it ({@code CURRENT.tmp-N} first), so a reader finds
 * the old name or the new one, never a part of either.
 *
 * <p>Which versions are in use: every process that has a store open holds an {@code flock} on
 * its file (shared for readers, exclusive for the writer building it), and the kernel lists
 * every {@code flock} in {@code /proc/locks} by inode; a version no lock names is open nowhere.
 */
final class CacheDirectory {
    static final String CURRENT = "CURRENT";
    private static final String TEMPORARY_PREFIX = "CURRENT.tmp-";
    private static final Pattern VERSION_NAME = Pattern.compile("version-(\\d{10,19})\\.pf");
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private CacheDirectory() {
    }

    /** {@return the file name of a version} */
    static String versionName(long version) {
        return String.format("version-%010d.pf", version);
    }

    /** {@return the version number of a version file name, or -1 if it names none} */
    static long versionOf(String fileName) {
        Matcher matcher = VERSION_NAME.matcher(fileName);
        if (!matcher.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@return the version files present, by number} */
    static TreeMap<Long, Path> versions(Path directory) {
        TreeMap<Long, Path> versions = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "version-*.pf")) {
            for (Path file : files) {
                long version = versionOf(file.getFileName().toString());
                if (version >= 0) {
                    versions.put(version, file);
                }
            }
        } catch (IOException e) {
            throw new StoreAccessException(directory, PermafrostException.NO_OFFSET, "cannot list the cache directory: " + e, e);
        }
        return versions;
    }

    /**
     * Reads {@code CURRENT}.
     *
     * @return the version file it names (which may not exist)
     * @throws NoCurrentVersionException if there is no {@code CURRENT}
     * @throws CorruptCacheException     if it does not hold a version file's name
     */
    static Path current(Path directory) {
        Path current = directory.resolve(CURRENT);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(current);
        } catch (NoSuchFileException e) {
            throw new NoCurrentVersionException(directory, current, PermafrostException.NO_OFFSET,
                    "no CURRENT file: nothing was ever published here" + (Files.isDirectory(directory) ? "" : " (no such directory)"), e);
        } catch (IOException e) {
            throw new StoreAccessException(current, PermafrostException.NO_OFFSET, "cannot read: " + e, e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (bytes.length > 64 || !text.endsWith("\n") || versionOf(text.substring(0, text.length() - 1)) < 0) {
            throw new CorruptCacheException(directory, current, 0, "CURRENT should hold a version file name"
                    + " (version-NNNNNNNNNN.pf) and a newline, but holds " + bytes.length + " bytes: '"
                    + (text.length() > 64 ? text.substring(0, 64) + "..." : text).replace("\n", "\\n") + "'", null);
        }
        return directory.resolve(text.substring(0, text.length() - 1));
    }

    /** {@return the current version number, or -1 if nothing is published or CURRENT is unreadable} */
    static long currentVersionOrNone(Path directory) {
        try {
            return versionOf(current(directory).getFileName().toString());
        } catch (CacheException e) {
            return -1;
        }
    }

    /**
     * Makes a complete, synced version file current: syncs the directory (the version's entry),
     * writes {@code CURRENT.tmp-N}, syncs it, renames it over {@code CURRENT} and syncs the
     * directory again.
     */
    static void publish(Path directory, Path versionFile) {
        long version = versionOf(versionFile.getFileName().toString());
        Path temporary = directory.resolve(TEMPORARY_PREFIX + version);
        Path current = directory.resolve(CURRENT);
        try {
            syncDirectory(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer name = ByteBuffer.wrap((versionFile.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                while (name.hasRemaining()) {
                    channel.write(name);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, current, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StoreAccessException(directory, PermafrostException.NO_OFFSET,
                        "the file system cannot rename atomically, which CURRENT needs", e);
            }
            syncDirectory(directory);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreAccessException(current, PermafrostException.NO_OFFSET, "cannot publish " + versionFile + ": " + e, e);
        }
    }

    /**
     * Deletes what no process uses: versions other than the newest two published (the current
     * one and the one before it) that no lock names, among them the files of writers that died
     * before publishing, and {@code CURRENT.tmp-N} files of versions that are gone or unlocked.
     *
     * @return the files deleted
     */
    static List<Path> deleteUnused(Path directory) {
        long current = currentVersionOrNone(directory);
        TreeMap<Long, Path> versions = versions(directory);
        Long previous = current < 0 ? null : versions.lowerKey(current);
        Set<Long> locked = lockedInodes();
        List<Path> deleted = new ArrayList<>();
        for (var version : versions.entrySet()) {
            long number = version.getKey();
            if (number == current || (previous != null && number == previous)) {
                continue;
            }
            if (!isLocked(version.getValue(), locked) && delete(version.getValue())) {
                deleted.add(version.getValue());
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, TEMPORARY_PREFIX + "*")) {
            for (Path file : files) {
                String suffix = file.getFileName().toString().substring(TEMPORARY_PREFIX.length());
                long number;
                try {
                    number = Long.parseLong(suffix);
                } catch (NumberFormatException e) {
                    continue;
                }
                Path version = versions.get(number);
                if ((version == null || !isLocked(version, locked)) && delete(file)) {
                    deleted.add(file);
                }
            }
        } catch (IOException e) { // stray temporary files are harmless: CURRENT is never one of them
        }
        return deleted;
    }

    /** {@return whether a lock of any process names the file (conservative: true when it cannot tell)} */
    static boolean isLocked(Path file) {
        return isLocked(file, lockedInodes());
    }

    private static boolean isLocked(Path file, Set<Long> locked) {
        if (locked == null) {
            return true;
        }
        try {
            return locked.contains((Long) Files.getAttribute(file, "unix:ino"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * The inodes {@code /proc/locks} names, from lines such as
     * {@code 1: FLOCK  ADVISORY  READ 4711 00:2b:1234567 0 EOF}; null if it cannot be read.
     */
    private static Set<Long> lockedInodes() {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
        Set<Long> inodes = new HashSet<>();
        for (String line : lines) {
            for (String field : line.trim().split("\\s+")) {
                int last = field.lastIndexOf(':');
                if (last > 0 && field.indexOf(':') < last) { // major:minor:inode
                    try {
                        inodes.add(Long.parseLong(field.substring(last + 1)));
                    } catch (NumberFormatException e) {
                        // not the device field
                    }
                    break;
                }
            }
        }
        return inodes;
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
