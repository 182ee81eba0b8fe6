package dev.permafrost.heapdump;

import java.util.Locale;

/** Formatting of sizes and counts for text output. */
final class Units {
    private Units() {
    }

    /**
     * Returns a size for people: {@code 512 B}, {@code 3.2 KiB}, {@code 1.0 GiB}.
     *
     * @param bytes a size in bytes
     * @return the size with a binary unit
     */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * Returns an offset as people read them in this project: {@code 0x3000}.
     *
     * @param offset bytes from the start of the file
     * @return the offset in hexadecimal
     */
    static String hex(long offset) {
        return "0x" + Long.toHexString(offset);
    }
}
