package dev.permafrost.types;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.function.LongFunction;

/**
 * Decodes one inline string component of a stored type: what a generated decoder calls for
 * it (the decoder can name only {@code java.base} types, so this is a {@link LongFunction}, as
 * its nested decoders are). The component's slot word is {@code 0} for {@code null}, else the
 * place and length of the UTF-8 bytes in the object's tail ({@link StructDescriptor}).
 *
 * <p>Thread rules: immutable; safe from any thread.
 */
final class InlineString implements LongFunction<String> {
    private final MemorySegment memory;
    /** The slot's offset in the object, header included. */
    private final long slotOffset;

    InlineString(MemorySegment memory, long slotOffset) {
        this.memory = memory;
        this.slotOffset = slotOffset;
    }

    /**
     * Decodes the component of one object.
     *
     * @param objectOffset an object of the type
     * @return the string, or {@code null}
     */
    @Override
    public String apply(long objectOffset) {
        long slot = memory.get(StoreFormat.LONG, objectOffset + slotOffset);
        if (slot == 0) {
            return null;
        }
        return Utf8.decode(memory, objectOffset + ObjectHeaderDescriptor.LENGTH + StructDescriptor.inlineOffset(slot),
                StructDescriptor.inlineLength(slot));
    }
}
