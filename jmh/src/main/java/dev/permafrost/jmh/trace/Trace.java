package dev.permafrost.jmh.trace;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.tukaani.xz.CorruptedInputException;
import org.tukaani.xz.XZFormatException;
import org.tukaani.xz.XZInputStream;

/**
 * A key trace: big-endian 32-bit keys, one per access (the format of {@code ../shared/traces}),
 * read whole into memory, from an xz-compressed file (recognised by its magic bytes) or a raw one.
 *
 * @param keys the keys in order of access; not to be modified
 */
public record Trace(int[] keys) {

    /** The bytes every xz file begins with. */
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    /** Bad input: the trace could not be read; the message says which file and why, in one line. */
    public static final class TraceException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * A failure to read a trace.
         *
         * @param message what was expected and what was found, naming the file
         */
        public TraceException(String message) {
            super(message);
        }
    }

    /**
     * Reads a trace.
     *
     * @param file an xz-compressed or raw trace
     * @return its keys
     * @throws TraceException if the file is missing, unreadable, compressed otherwise than with
     *     xz, damaged, empty, or not a whole number of 4-byte keys
     */
    public static Trace read(Path file) throws TraceException {
        byte[] bytes;
        boolean compressed = false;
        try {
            byte[] head = new byte[XZ_MAGIC.length];
            int headLength;
            try (InputStream in = Files.newInputStream(file)) {
                headLength = in.readNBytes(head, 0, head.length);
            }
            if (headLength == head.length && Arrays.equals(head, XZ_MAGIC)) {
                compressed = true;
                try (InputStream in = new XZInputStream(Files.newInputStream(file))) {
                    bytes = in.readAllBytes();
                }
            } else {
                String compression = otherCompression(head, headLength);
                if (compression != null) {
                    throw new TraceException(file + ": unknown format: " + compression
                            + "; expected xz-compressed or raw big-endian 32-bit keys");
                }
                if (file.getFileName() != null && file.getFileName().toString().endsWith(".xz")) {
                    throw new TraceException(file + ": not an xz file (no xz magic bytes) though named .xz");
                }
                bytes = Files.readAllBytes(file);
            }
        } catch (NoSuchFileException e) {
            throw new TraceException(file + ": no such file");
        } catch (XZFormatException e) {
            throw new TraceException(file + ": not a valid xz file: " + e.getMessage());
        } catch (CorruptedInputException e) {
            throw new TraceException(file + ": damaged xz data: " + e.getMessage());
        } catch (EOFException e) {
            throw new TraceException(file + ": truncated: the xz data ends before its end marker");
        } catch (IOException e) {
            throw new TraceException(file + ": cannot read the trace: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } catch (OutOfMemoryError e) {
            throw new TraceException(file + ": too large to hold in memory: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new TraceException(file + ": empty trace: expected at least one 4-byte key");
        }
        if (bytes.length % Integer.BYTES != 0) {
            throw new TraceException(file + ": unknown format: " + bytes.length + " bytes"
                    + (compressed ? " after decompression" : "") + " is not a whole number of big-endian 32-bit keys");
        }
        int[] keys = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).asIntBuffer().get(keys); // big-endian, the buffer's default
        return new Trace(keys);
    }

    /** @return the name of a compression other than xz whose magic bytes {@code head} begins with, or {@code null} */
    private static String otherCompression(byte[] head, int length) {
        if (length >= 2 && head[0] == 0x1F && head[1] == (byte) 0x8B) {
            return "gzip-compressed";
        }
        if (length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return "bzip2-compressed";
        }
        if (length >= 4 && head[0] == 0x28 && head[1] == (byte) 0xB5 && head[2] == 0x2F && head[3] == (byte) 0xFD) {
            return "zstd-compressed";
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return "a zip archive";
        }
        return null;
    }

    /**
     * The number of accesses.
     *
     * @return the count of keys
     */
    public int accesses() {
        return keys.length;
    }
}
