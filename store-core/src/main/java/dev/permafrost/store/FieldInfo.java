package dev.permafrost.store;

/**
 * One field of a stored type, as its type descriptor says.
 *
 * @param name             the field's name (the record component's)
 * @param kind             its kind
 * @param payloadOffset    its offset in an instance's payload, bytes
 * @param referencedTypeId for {@link FieldKind#REFERENCE}, the target's type id (0 = any); for
 *                         {@link FieldKind#INLINE}, the string or array kind of its bytes; else 0
 * @param elementTypeId    for a reference to a reference array, the elements' type id; else 0
 * @param description      the field's type in words, e.g. {@code int}, {@code string},
 *                         {@code reference to com.acme.User}
 */
public record FieldInfo(String name, FieldKind kind, int payloadOffset, int referencedTypeId, int elementTypeId,
                        String description) {
}
