package dev.permafrost.store;

import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.TypeIds;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;

/**
 * One record component and how it is stored.
 *
 * @param name          the component's name
 * @param type          its Java type
 * @param shape         how it is stored
 * @param target        the record class it refers to (nested record, {@code Ref<R>}, {@code R[]}), or null
 * @param builtinTypeId for inline values and built-in reference targets, the built-in kind; else 0
 * @param accessor      the accessor, as {@code (Record) -> Object}
 */
record Component(String name, Class<?> type, Shape shape, Class<?> target, int builtinTypeId, MethodHandle accessor) {
    /** How a component is stored. */
    enum Shape {
        /** A primitive, in place. */
        PRIMITIVE,
        /** A string or primitive array, inline in the tail. */
        INLINE,
        /** A nested record: a reference to an object of its own, written with the record. */
        RECORD,
        /** A {@link Ref}: a reference to an existing object. */
        REF,
        /** An array of records: a reference to a reference array of objects written with the record. */
        RECORD_ARRAY,
        /** An array of strings: a reference to a reference array of string objects. */
        STRING_ARRAY
    }

    /**
     * Reads the component from a record.
     *
     * @param value the record
     * @return the component's value, boxed if primitive
     */
    Object get(Record value) {
        try {
            return accessor.invokeExact(value);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("accessor of '" + name + "' failed", e);
        }
    }

    /** {@return the field kind this component is stored as} */
    int kind() {
        return switch (shape) {
            case PRIMITIVE -> primitiveKind(type);
            case INLINE -> FieldKinds.INLINE;
            default -> FieldKinds.REFERENCE;
        };
    }

    /**
     * Checks that a class given to {@link Types#register} is a record that can be stored, before
     * anything looks at its constructor or components (a raw {@code Class} lets any class through
     * the {@code Class<R extends Record>} parameter).
     *
     * @param recordClass the class given
     * @throws IllegalArgumentException naming the class and what it is, if it is not a record, or is {@link Ref}
     */
    static void requireRecord(Class<?> recordClass) {
        if (recordClass == Ref.class) {
            throw new IllegalArgumentException("cannot register " + Ref.class.getName() + ": it is how a record component"
                    + " refers to a stored object, not a record to store");
        }
        if (!recordClass.isRecord()) {
            String what = recordClass.isPrimitive() ? "a primitive type" : recordClass.isArray() ? "an array class"
                    : recordClass.isInterface() ? "an interface" : recordClass.isEnum() ? "an enum" : "a class that is not a record";
            throw new IllegalArgumentException("cannot register " + recordClass.getTypeName() + ": it is " + what
                    + "; register takes record classes (store a string with writeString, an array with writeArray)");
        }
    }

    /**
     * Analyses a record class's components.
     *
     * @param recordClass the record class
     * @param lookup      a lookup with access to its accessors
     * @return the components, in declaration order
     * @throws IllegalArgumentException if a component's type cannot be stored
     */
    static List<Component> of(Class<?> recordClass, MethodHandles.Lookup lookup) {
        List<Component> components = new ArrayList<>();
        for (RecordComponent rc : recordClass.getRecordComponents()) {
            MethodHandle accessor;
            try {
                accessor = lookup.unreflect(rc.getAccessor()).asType(MethodType.methodType(Object.class, Record.class));
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot read component '" + rc.getName() + "' of " + recordClass.getName()
                        + ": " + e.getMessage(), e);
            }
            components.add(analyse(recordClass, rc.getName(), rc.getType(), rc.getGenericType(), accessor));
        }
        return components;
    }

    private static Component analyse(Class<?> owner, String name, Class<?> type, Type generic, MethodHandle accessor) {
        if (type.isPrimitive()) {
            return new Component(name, type, Shape.PRIMITIVE, null, 0, accessor);
        }
        if (type == String.class || (type.isArray() && primitiveArrayTypeId(type) != 0)) {
            return new Component(name, type, Shape.INLINE, null, type == String.class ? TypeIds.STRING : primitiveArrayTypeId(type), accessor);
        }
        if (type.isRecord() && type != Ref.class) {
            return new Component(name, type, Shape.RECORD, type, 0, accessor);
        }
        if (type == Ref.class) {
            Class<?> target = refTarget(generic);
            if (target == null) {
                return new Component(name, type, Shape.REF, null, 0, accessor);
            }
            if (target.isRecord() && target != Ref.class) {
                return new Component(name, type, Shape.REF, target, 0, accessor);
            }
            int builtin = target == String.class ? TypeIds.STRING : primitiveArrayTypeId(target);
            if (builtin != 0) {
                return new Component(name, type, Shape.REF, null, builtin, accessor);
            }
            throw unsupported(owner, name, generic);
        }
        if (type == String[].class) {
            return new Component(name, type, Shape.STRING_ARRAY, null, TypeIds.STRING, accessor);
        }
        if (type.isArray() && type.getComponentType().isRecord() && type.getComponentType() != Ref.class
                && !(generic instanceof GenericArrayType)) {
            return new Component(name, type, Shape.RECORD_ARRAY, type.getComponentType(), 0, accessor);
        }
        throw unsupported(owner, name, generic);
    }

    private static Class<?> refTarget(Type generic) {
        if (!(generic instanceof ParameterizedType parameterized)) {
            return null; // raw Ref: any type
        }
        Type argument = parameterized.getActualTypeArguments()[0];
        if (argument instanceof WildcardType || argument == Object.class) {
            return null;
        }
        if (argument instanceof Class<?> c) {
            return c;
        }
        if (argument instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            return raw;
        }
        return null;
    }

    private static IllegalArgumentException unsupported(Class<?> owner, String name, Type generic) {
        return new IllegalArgumentException("component '" + name + "' of " + owner.getName() + " has type "
                + generic.getTypeName() + ", which cannot be stored: use a primitive, String, a primitive array"
                + " (not boolean[]), a record, a record array, String[] or Ref<T>");
    }

    static int primitiveKind(Class<?> type) {
        if (type == boolean.class) {
            return FieldKinds.BOOLEAN;
        } else if (type == byte.class) {
            return FieldKinds.BYTE;
        } else if (type == short.class) {
            return FieldKinds.SHORT;
        } else if (type == char.class) {
            return FieldKinds.CHAR;
        } else if (type == int.class) {
            return FieldKinds.INT;
        } else if (type == long.class) {
            return FieldKinds.LONG;
        } else if (type == float.class) {
            return FieldKinds.FLOAT;
        } else if (type == double.class) {
            return FieldKinds.DOUBLE;
        }
        throw new IllegalArgumentException(type + " is not a primitive type");
    }

    static int primitiveArrayTypeId(Class<?> type) {
        if (type == byte[].class) {
            return TypeIds.BYTE_ARRAY;
        } else if (type == short[].class) {
            return TypeIds.SHORT_ARRAY;
        } else if (type == char[].class) {
            return TypeIds.CHAR_ARRAY;
        } else if (type == int[].class) {
            return TypeIds.INT_ARRAY;
        } else if (type == long[].class) {
            return TypeIds.LONG_ARRAY;
        } else if (type == float[].class) {
            return TypeIds.FLOAT_ARRAY;
        } else if (type == double[].class) {
            return TypeIds.DOUBLE_ARRAY;
        }
        return 0;
    }
}
