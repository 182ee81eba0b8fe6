package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Walks the heap block by block, from the heap start to the bump offset, using nothing but
 * the headers: every block's size follows from its meta word. Validates each header as it
 * goes, so a damaged heap is reported at the first bad block, never read past.
 */
public final class HeapWalker {
    private HeapWalker() {
    }

    /** Receives each block of the heap. */
    @FunctionalInterface
    public interface BlockVisitor {
        /**
         * Returns {@code true} to go on, {@code false} to stop the walk.
         *
         * @param blockOffset bytes from the start of the file to the block's header
         * @param countWord   the reference-count word (0 for a free block)
         * @param meta        the meta word
         * @param blockBytes  the block's size, header included
         * @return {@code true} to go on, {@code false} to stop the walk
         */
        boolean visit(long blockOffset, long countWord, long meta, long blockBytes);
    }

    /**
     * Called once per block, in address order.
     *
     * @param heap        memory holding the store from offset 0 (the mapping, or a copy)
     * @param startOffset the heap start
     * @param endOffset   the bump offset
     * @param file        the store file, for messages
     * @param visitor     receives each block in address order
     * @throws CorruptStoreException at the first header that does not describe a valid block
     */
    public static void walk(MemorySegment heap, long startOffset, long endOffset, Path file, BlockVisitor visitor) {
        long offset = startOffset;
        while (offset < endOffset) {
            long count = heap.get(LONG, offset + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET);
            long meta = heap.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
            int typeId = ObjectHeaderDescriptor.typeId(meta);
            long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
            if (typeId == TypeIds.INVALID) {
                throw new CorruptStoreException(file, offset, "block header with type id 0 (meta word 0x"
                        + Long.toHexString(meta) + ") below the bump offset 0x" + Long.toHexString(endOffset));
            }
            if (blockBytes > endOffset - offset) {
                throw new CorruptStoreException(file, offset, "block of " + blockBytes
                        + " bytes runs past the bump offset 0x" + Long.toHexString(endOffset));
            }
            if (!visitor.visit(offset, count, meta, blockBytes)) {
                return;
            }
            offset += blockBytes;
        }
    }
}
