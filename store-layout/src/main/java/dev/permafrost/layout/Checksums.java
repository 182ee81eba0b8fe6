package dev.permafrost.layout;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * CRC32C, the checksum of every structure that carries one (superblock, commit slots, the
 * frozen region). The JDK intrinsifies it, so checksumming a 1 GiB region takes a fraction
 * of a second.
 */
public final class Checksums {
    private static final long CHUNK_BYTES = 1 << 30;

    private Checksums() {
    }

    /**
     * Returns the CRC32C of those bytes, as an unsigned 32-bit value.
     *
     * @param segment memory to read
     * @param offset  first byte, from the start of {@code segment}
     * @param length  number of bytes
     * @return the CRC32C of those bytes, as an unsigned 32-bit value
     */
    public static int crc32c(MemorySegment segment, long offset, long length) {
        CRC32C crc = new CRC32C();
        for (long done = 0; done < length; done += CHUNK_BYTES) {
            long chunk = Math.min(CHUNK_BYTES, length - done);
            crc.update(segment.asSlice(offset + done, chunk).asByteBuffer());
        }
        return (int) crc.getValue();
    }
}
