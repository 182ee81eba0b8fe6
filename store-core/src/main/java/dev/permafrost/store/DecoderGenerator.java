package dev.permafrost.store;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.file.RawMemory;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeIds;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Generates, per record class and store, a hidden class that decodes a stored object into a
 * heap record the way a hand-written codec would: one read of the mapping per field at a
 * constant offset, then the canonical constructor. No reflection, boxing or argument arrays
 * on the decoding path.
 *
 * <p>Reads: the fixed part of the object (header and fixed fields) is bounds-checked once
 * against the mapping, then each fixed field is read by address through one constant segment
 * over the address space ({@link RawMemory#EVERYWHERE}, the class's class data), at the mapping's address (a constant in
 * the class) plus the object's offset: no per-read bounds, session or segment loads. What
 * the store's segment checked per read is done once per object instead: the bounds up front,
 * and after the reads an acquire fence and one read through the store's segment, which throws
 * if the store was closed meanwhile (a closed store's range reads as zeros, see
 * {@link RawMemory}; {@code RecordType.read}, the one caller, keeps the store and so the range
 * reachable until the decode returns). Strings and arrays are copied by address too, each after a bounds check of the
 * place its slot gives (a damaged slot throws {@link CorruptStoreException} naming the file, the object and the
 * field, from that same check's exception handler; it never reads outside the mapping); strings
 * through {@link Utf8#decode}, whose ASCII path is what makes the decoder faster than a
 * hand-written {@code new String(bytes, UTF_8)}.
 *
 * <p>The generated class names only {@code java.base} classes: not the record, not its
 * component records, not {@link Ref}. It reaches them through its class data
 * ({@link RawMemory#EVERYWHERE}, a method handle to {@link Utf8#decode}, and the record's
 * canonical constructor as a method handle whose reference parameters outside {@code java.base}
 * are erased to {@code Object}) and through the nested decoders it is given (one
 * {@link LongFunction} per reference field, which maps a reference to its heap value). So the
 * lookup it is defined in need not see the record's class loader: a public record of a plugin's
 * loader, a fat jar's or the source launcher's decodes through the store's own lookup. The
 * constructor handle is a constant of the class, which the JIT inlines like
 * {@code new R(...)}.
 */
final class DecoderGenerator {
    private static final ClassDesc CD_MEMORY_SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    private static final ClassDesc CD_VALUE_LAYOUT = ClassDesc.of("java.lang.foreign.ValueLayout");
    private static final ClassDesc CD_LONG_FUNCTION = ClassDesc.of("java.util.function.LongFunction");
    private static final ClassDesc CD_LONG_FUNCTIONS = CD_LONG_FUNCTION.arrayType();
    private static final ClassDesc CD_OBJECTS = ClassDesc.of("java.util.Objects");
    private static final ClassDesc CD_VAR_HANDLE = ClassDesc.of("java.lang.invoke.VarHandle");
    private static final ClassDesc CD_INDEX_OUT_OF_BOUNDS = ClassDesc.of("java.lang.IndexOutOfBoundsException");
    private static final int MEMORY_LOCAL = 3;
    private static final int EVERYWHERE_LOCAL = 4;
    private static final int ADDRESS_LOCAL = 5;
    private static final int FIRST_VALUE_LOCAL = 7;
    /**
     * The hidden class's class data: {@link RawMemory#EVERYWHERE}, {@link #DECODE_STRING}, the record's canonical
     * constructor, and {@link #CORRUPT_SLOT} bound to the store and the type.
     */
    private static final DynamicConstantDesc<MemorySegment> EVERYWHERE_CONSTANT =
            DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, CD_MEMORY_SEGMENT, 0);
    private static final DynamicConstantDesc<MethodHandle> DECODE_STRING_CONSTANT =
            DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, ConstantDescs.CD_MethodHandle, 1);
    private static final DynamicConstantDesc<MethodHandle> CONSTRUCTOR_CONSTANT =
            DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, ConstantDescs.CD_MethodHandle, 2);
    private static final DynamicConstantDesc<MethodHandle> CORRUPT_SLOT_CONSTANT =
            DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, ConstantDescs.CD_MethodHandle, 3);
    private static final MethodTypeDesc CORRUPT_SLOT_TYPE = MethodTypeDesc.of(ClassDesc.of("java.lang.RuntimeException"),
            CD_INDEX_OUT_OF_BOUNDS, CD_long, CD_long, ConstantDescs.CD_int);
    private static final MethodTypeDesc DECODE_STRING_TYPE = MethodTypeDesc.of(CD_String, CD_MEMORY_SEGMENT, CD_long, ConstantDescs.CD_int, ConstantDescs.CD_boolean);
    /** {@link Utf8#decode}, which the generated class cannot name (it lives in the record's package): a constant the JIT inlines. */
    private static final MethodHandle DECODE_STRING;
    /** {@link #corruptSlot(Path, String, String[], long, IndexOutOfBoundsException, long, long, int)}: the exception handler of each inline slot's bounds check. */
    private static final MethodHandle CORRUPT_SLOT;

    static {
        try {
            DECODE_STRING = MethodHandles.lookup().findStatic(Utf8.class, "decode",
                    MethodType.methodType(String.class, MemorySegment.class, long.class, int.class, boolean.class));
            CORRUPT_SLOT = MethodHandles.lookup().findStatic(DecoderGenerator.class, "corruptSlot",
                    MethodType.methodType(RuntimeException.class, Path.class, String.class, String[].class, long.class,
                            IndexOutOfBoundsException.class, long.class, long.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DecoderGenerator() {
    }

    /** A component to decode: its name, where its field is and what it holds. */
    record Slot(String name, Class<?> javaType, int kind, long objectRelativeOffset, int inlineTypeId, int nestedIndex) {
    }

    /**
     * Generates and instantiates a decoder.
     *
     * @param lookup      a lookup that can access the record's constructor; the decoder is defined in it
     *                    when it has full privilege, else in the store's own (the decoder names no class
     *                    outside {@code java.base}, so its loader need not see the record)
     * @param recordClass the record class
     * @param slots       its components, in canonical constructor order
     * @param memory      the store's memory
     * @param nested      decoders for reference fields, indexed by {@link Slot#nestedIndex}
     * @param file        the store file, for the error of a damaged slot
     * @param typeName    the stored type's name, likewise
     * @param <R>         the record type
     * @return a function from an object's offset to a new heap record
     */
    @SuppressWarnings("unchecked")
    static <R> LongFunction<R> generate(MethodHandles.Lookup lookup, Class<R> recordClass, List<Slot> slots,
                                        MemorySegment memory, LongFunction<?>[] nested, Path file, String typeName) {
        // the hidden class names nothing outside java.base and reaches the constructor through class
        // data: it can live in the record's lookup, or in the store's own when that one may not define
        MethodHandles.Lookup definer = lookup.hasFullPrivilegeAccess() ? lookup : MethodHandles.lookup();
        String pkg = definer.lookupClass().getPackageName();
        ClassDesc self = ClassDesc.of((pkg.isEmpty() ? "" : pkg + ".") + "PermafrostDecoder");
        Class<?>[] erased = slots.stream().map(slot -> erase(slot.javaType())).toArray(Class<?>[]::new);
        ClassDesc[] params = Arrays.stream(erased).map(c -> c.describeConstable().orElseThrow()).toArray(ClassDesc[]::new);
        MethodTypeDesc constructorType = MethodTypeDesc.of(CD_Object, params);
        MethodHandle constructor;
        try {
            constructor = lookup.findConstructor(recordClass, MethodType.methodType(void.class,
                    slots.stream().map(Slot::javaType).toArray(Class<?>[]::new))).asType(MethodType.methodType(Object.class, erased));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the canonical constructor of " + recordClass.getName() + ": " + e, e);
        }
        MethodHandle corruptSlot = MethodHandles.insertArguments(CORRUPT_SLOT, 0, file, typeName,
                slots.stream().map(Slot::name).toArray(String[]::new), memory.byteSize());
        long fixedEnd = slots.stream().mapToLong(slot -> slot.objectRelativeOffset() + fixedBytes(slot.kind()))
                .max().orElse(0L);
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withInterfaceSymbols(CD_LONG_FUNCTION);
            cb.withField("memory", CD_MEMORY_SEGMENT, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            cb.withField("nested", CD_LONG_FUNCTIONS, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            cb.withMethodBody(INIT_NAME, MethodTypeDesc.of(CD_void, CD_MEMORY_SEGMENT, CD_LONG_FUNCTIONS), ClassFile.ACC_PUBLIC, code -> {
                code.aload(0).invokespecial(CD_Object, INIT_NAME, MethodTypeDesc.of(CD_void));
                code.aload(0).aload(1).putfield(self, "memory", CD_MEMORY_SEGMENT);
                code.aload(0).aload(2).putfield(self, "nested", CD_LONG_FUNCTIONS);
                code.return_();
            });
            cb.withMethodBody("apply", MethodTypeDesc.of(CD_Object, CD_long), ClassFile.ACC_PUBLIC, code -> {
                code.aload(0).getfield(self, "memory", CD_MEMORY_SEGMENT).astore(MEMORY_LOCAL);
                code.ldc(EVERYWHERE_CONSTANT).astore(EVERYWHERE_LOCAL);
                // the fixed part inside the mapping, once: Objects.checkFromIndexSize(offset, fixedEnd, mapped bytes)
                code.lload(1).loadConstant(fixedEnd).loadConstant(memory.byteSize());
                code.invokestatic(CD_OBJECTS, "checkFromIndexSize", MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_long)).pop2();
                code.loadConstant(memory.address()).lload(1).ladd().lstore(ADDRESS_LOCAL);
                int[] locals = new int[slots.size()];
                int next = FIRST_VALUE_LOCAL;
                for (int i = 0; i < slots.size(); i++) {
                    locals[i] = next;
                    next += TypeKind.from(params[i]).slotSize();
                }
                int scratch = next;
                for (int i = 0; i < slots.size(); i++) {
                    emitRead(code, self, slots.get(i), i, params[i], locals[i], scratch, memory.address(), memory.byteSize());
                }
                // closed meanwhile? the fence keeps this check after every read above; the read throws if so
                code.invokestatic(CD_VAR_HANDLE, "acquireFence", MethodTypeDesc.of(CD_void));
                code.aload(MEMORY_LOCAL).getstatic(CD_VALUE_LAYOUT, "JAVA_BYTE", layoutType("JAVA_BYTE")).lload(1);
                code.invokeinterface(CD_MEMORY_SEGMENT, "get", MethodTypeDesc.of(ConstantDescs.CD_byte, layoutType("JAVA_BYTE"), CD_long));
                code.pop();
                code.ldc(CONSTRUCTOR_CONSTANT);
                for (int i = 0; i < slots.size(); i++) {
                    code.loadLocal(TypeKind.from(params[i]), locals[i]);
                }
                code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", constructorType);
                code.areturn();
            });
        });
        try {
            MethodHandles.Lookup hidden = definer.defineHiddenClassWithClassData(bytes, List.of(RawMemory.EVERYWHERE, DECODE_STRING, constructor, corruptSlot), true);
            Object decoder = hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class, MemorySegment.class, LongFunction[].class)).invoke(memory, nested);
            return (LongFunction<R>) decoder;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot define the decoder of " + recordClass.getName() + ": " + e, e);
        }
    }

    /** Leaves the component's value in its local. Locals: 1-2 the object offset, 3 the memory, 4 {@link RawMemory#EVERYWHERE}, 5-6 the object's address;
     * from {@code scratch}: the slot word (2), the count, the array, the bytes' offset (2), a caught exception. */
    private static void emitRead(CodeBuilder code, ClassDesc self, Slot slot, int index, ClassDesc param, int local, int scratch,
                                 long mappingAddress, long mappedBytes) {
        long at = slot.objectRelativeOffset();
        switch (slot.kind()) {
            case FieldKinds.REFERENCE -> {
                code.aload(0).getfield(self, "nested", CD_LONG_FUNCTIONS).loadConstant(slot.nestedIndex()).aaload();
                readLong(code, at);
                code.invokeinterface(CD_LONG_FUNCTION, "apply", MethodTypeDesc.of(CD_Object, CD_long));
                if (!param.equals(CD_Object)) {
                    code.checkcast(param);
                }
                code.astore(local);
            }
            case FieldKinds.INLINE -> {
                readLong(code, at);
                code.lstore(scratch);
                Label present = code.newLabel();
                Label done = code.newLabel();
                code.lload(scratch).lconst_0().lcmp().ifne(present);
                code.aconst_null().astore(local).goto_(done);
                code.labelBinding(present);
                int shift = Integer.numberOfTrailingZeros(ArrayDescriptor.elementBytes(slot.inlineTypeId()));
                // count = length >>> shift; from = object + HEADER + (slot >>> 32), inside the mapping (Objects.checkFromIndexSize)
                code.lload(scratch).iconst_2().lushr().l2i().loadConstant(StructDescriptor.MAX_INLINE_BYTES).iand();
                code.loadConstant(shift).iushr().istore(scratch + 2);
                code.lload(1).loadConstant((long) ObjectHeaderDescriptor.LENGTH).ladd();
                code.lload(scratch).loadConstant(32).lushr().ladd().lstore(scratch + 4);
                code.lload(scratch + 4).iload(scratch + 2).i2l().loadConstant(shift).lshl().loadConstant(mappedBytes);
                Label checkStart = code.newLabel();
                Label checkEnd = code.newLabel();
                Label outside = code.newLabel();
                Label inside = code.newLabel();
                code.labelBinding(checkStart);
                code.invokestatic(CD_OBJECTS, "checkFromIndexSize", MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_long)).pop2();
                code.labelBinding(checkEnd);
                code.goto_(inside);
                // the check failed: throw corruptSlot(exception, object, slot word, index), off the decoding path
                code.labelBinding(outside);
                code.astore(scratch + 6);
                code.ldc(CORRUPT_SLOT_CONSTANT).aload(scratch + 6).lload(1).lload(scratch).loadConstant(index);
                code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", CORRUPT_SLOT_TYPE);
                code.athrow();
                code.exceptionCatch(checkStart, checkEnd, outside, CD_INDEX_OUT_OF_BOUNDS);
                code.labelBinding(inside);
                if (slot.inlineTypeId() == TypeIds.STRING) {
                    // Utf8.decode(EVERYWHERE, mapping + from, count, slot has INLINE_ASCII)
                    code.ldc(DECODE_STRING_CONSTANT).aload(EVERYWHERE_LOCAL);
                    code.loadConstant(mappingAddress).lload(scratch + 4).ladd().iload(scratch + 2);
                    code.lload(scratch).loadConstant(StructDescriptor.INLINE_ASCII).land().lconst_0().lcmp(); // 0 or 1
                    code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", DECODE_STRING_TYPE);
                } else {
                    // array = new T[count]; MemorySegment.copy(EVERYWHERE, layout, mapping + from, array, 0, count)
                    String layout = elementLayout(slot.inlineTypeId());
                    ClassDesc layoutType = layoutType(layout);
                    code.iload(scratch + 2).newarray(TypeKind.from(param.componentType())).astore(scratch + 3);
                    code.aload(EVERYWHERE_LOCAL).getstatic(CD_VALUE_LAYOUT, layout, layoutType);
                    code.loadConstant(mappingAddress).lload(scratch + 4).ladd();
                    code.aload(scratch + 3).iconst_0().iload(scratch + 2);
                    code.invokestatic(CD_MEMORY_SEGMENT, "copy", MethodTypeDesc.of(CD_void, CD_MEMORY_SEGMENT, CD_VALUE_LAYOUT,
                            CD_long, CD_Object, ConstantDescs.CD_int, ConstantDescs.CD_int), true);
                    code.aload(scratch + 3);
                }
                code.astore(local);
                code.labelBinding(done);
            }
            default -> {
                String layout = primitiveLayout(slot.kind());
                ClassDesc layoutType = layoutType(layout);
                code.aload(EVERYWHERE_LOCAL).getstatic(CD_VALUE_LAYOUT, layout, layoutType);
                code.lload(ADDRESS_LOCAL).loadConstant(at).ladd();
                code.invokeinterface(CD_MEMORY_SEGMENT, "get", MethodTypeDesc.of(param, layoutType, CD_long));
                code.storeLocal(TypeKind.from(param), local);
            }
        }
    }

    /**
     * The error of an inline slot (a string's or a primitive array's) whose place runs outside the mapping: what
     * the one bounds check per inline value throws, in a decoder and in {@link StringField}.
     *
     * @param file         the store file
     * @param typeName     the stored type's name
     * @param fieldName    the field's name
     * @param mappedBytes  the mapping's size, bytes
     * @param objectOffset the object's offset
     * @param slot         the slot word found
     * @param cause        what the bounds check threw
     * @return the exception, to throw
     */
    static CorruptStoreException corruptSlot(Path file, String typeName, String fieldName, long mappedBytes,
                                             long objectOffset, long slot, IndexOutOfBoundsException cause) {
        return new CorruptStoreException(file, objectOffset, "field '" + fieldName + "' of a '" + typeName
                + "' has inline slot 0x" + Long.toHexString(slot) + ", which places " + StructDescriptor.inlineLength(slot)
                + " bytes at payload offset " + StructDescriptor.inlineOffset(slot) + ": outside the " + mappedBytes
                + " mapped bytes", cause);
    }

    /** {@link #corruptSlot(Path, String, String, long, long, long, IndexOutOfBoundsException)} for a decoder's slot {@code index}. */
    private static RuntimeException corruptSlot(Path file, String typeName, String[] fieldNames, long mappedBytes,
                                                IndexOutOfBoundsException cause, long objectOffset, long slot, int index) {
        return corruptSlot(file, typeName, fieldNames[index], mappedBytes, objectOffset, slot, cause);
    }

    /**
     * The type the decoder holds a component's value as: its own for primitives and
     * {@code java.base} classes (strings, primitive and string arrays), else {@code Object},
     * which the constructor handle casts back (records, record arrays and {@link Ref}, which the
     * decoder's lookup may not see).
     */
    private static Class<?> erase(Class<?> type) {
        return type.isPrimitive() || type.getModule() == Object.class.getModule() ? type : Object.class;
    }

    /** A slot word of the fixed part, by address. */
    private static void readLong(CodeBuilder code, long at) {
        code.aload(EVERYWHERE_LOCAL).getstatic(CD_VALUE_LAYOUT, "JAVA_LONG_UNALIGNED", layoutType("JAVA_LONG_UNALIGNED"));
        code.lload(ADDRESS_LOCAL).loadConstant(at).ladd();
        code.invokeinterface(CD_MEMORY_SEGMENT, "get", MethodTypeDesc.of(CD_long, layoutType("JAVA_LONG_UNALIGNED"), CD_long));
    }

    /** Bytes a decoder reads at a field of this kind: its primitive, or a slot word. */
    private static int fixedBytes(int kind) {
        return switch (kind) {
            case FieldKinds.BOOLEAN, FieldKinds.BYTE -> 1;
            case FieldKinds.SHORT, FieldKinds.CHAR -> 2;
            case FieldKinds.INT, FieldKinds.FLOAT -> 4;
            default -> 8;
        };
    }

    /** Native-order layouts: the store is little-endian and so is every platform it runs on (checked by {@link Types}). */
    private static String primitiveLayout(int kind) {
        return switch (kind) {
            case FieldKinds.BOOLEAN -> "JAVA_BOOLEAN";
            case FieldKinds.BYTE -> "JAVA_BYTE";
            case FieldKinds.SHORT -> "JAVA_SHORT_UNALIGNED";
            case FieldKinds.CHAR -> "JAVA_CHAR_UNALIGNED";
            case FieldKinds.INT -> "JAVA_INT_UNALIGNED";
            case FieldKinds.LONG -> "JAVA_LONG_UNALIGNED";
            case FieldKinds.FLOAT -> "JAVA_FLOAT_UNALIGNED";
            case FieldKinds.DOUBLE -> "JAVA_DOUBLE_UNALIGNED";
            default -> throw new IllegalArgumentException("not a primitive kind: " + kind);
        };
    }

    private static String elementLayout(int typeId) {
        return switch (typeId) {
            case TypeIds.STRING, TypeIds.BYTE_ARRAY -> "JAVA_BYTE";
            case TypeIds.SHORT_ARRAY -> "JAVA_SHORT_UNALIGNED";
            case TypeIds.CHAR_ARRAY -> "JAVA_CHAR_UNALIGNED";
            case TypeIds.INT_ARRAY -> "JAVA_INT_UNALIGNED";
            case TypeIds.LONG_ARRAY -> "JAVA_LONG_UNALIGNED";
            case TypeIds.FLOAT_ARRAY -> "JAVA_FLOAT_UNALIGNED";
            case TypeIds.DOUBLE_ARRAY -> "JAVA_DOUBLE_UNALIGNED";
            default -> throw new IllegalArgumentException("not an inline kind: " + typeId);
        };
    }

    private static ClassDesc layoutType(String layoutField) {
        String kind = layoutField.substring("JAVA_".length()).replace("_UNALIGNED", "");
        return ClassDesc.of("java.lang.foreign.ValueLayout$Of" + kind.charAt(0) + kind.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
}
