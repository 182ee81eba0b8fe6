package dev.permafrost.store;

import java.util.List;

/**
 * One stored type, as the type table describes it: enough to decode its instances without the
 * class that wrote them.
 *
 * @param typeId           its id, {@link dev.permafrost.layout.TypeIds#FIRST_USER_TYPE_ID} and up
 * @param name             its name (the record class's binary name)
 * @param fixedBytes       bytes of an instance's fixed part; the payload is that plus the inline tail
 * @param fields           its fields, in declaration order
 * @param descriptorOffset the type descriptor object's offset in the store file
 */
public record TypeInfo(int typeId, String name, int fixedBytes, List<FieldInfo> fields, long descriptorOffset) {
    /** Copies the field list. */
    public TypeInfo {
        fields = List.copyOf(fields);
    }

    /**
     * Returns the field with that name.
     *
     * @param fieldName a field name
     * @return the field, or {@code null} if the type has none by that name
     */
    public FieldInfo field(String fieldName) {
        for (FieldInfo field : fields) {
            if (field.name().equals(fieldName)) {
                return field;
            }
        }
        return null;
    }
}
