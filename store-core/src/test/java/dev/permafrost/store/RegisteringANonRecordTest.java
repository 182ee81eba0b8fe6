package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Types#register} of a class that is not a record, which a raw {@code Class} lets through
 * the {@code Class<R extends Record>} parameter: it threw a {@link NullPointerException} from
 * inside the component analysis (or the JDK's lookup message for a primitive) instead of saying
 * which class and why.
 */
class RegisteringANonRecordTest {
    public record WithAList(int id, List<String> names) {
    }

    public record WithBooleans(boolean[] flags) {
    }

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void registeringAClassThatIsNotARecordIsAnIllegalArgumentNamingTheClassInsteadOfANullPointerException() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            assertThatThrownBy(() -> types.register((Class) String.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String").hasMessageContaining("not a record");
            assertThatThrownBy(() -> types.register((Class) Object.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object").hasMessageContaining("not a record");
            assertThatThrownBy(() -> types.register((Class) Record.class, MethodHandles.lookup()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Record");
            assertThatThrownBy(() -> types.register((Class) int.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot register int: it is a primitive type");
            assertThatThrownBy(() -> types.register((Class) int[].class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot register int[]: it is an array class");
            assertThatThrownBy(() -> types.register((Class) Runnable.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Runnable: it is an interface");
            assertThatThrownBy(() -> types.register((Class) Thread.State.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Thread$State: it is an enum");
            assertThatThrownBy(() -> types.register(Ref.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot register " + Ref.class.getName());
            assertThatThrownBy(() -> types.register((Class) String.class, "some.Name", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String");
        }
    }

    @Test
    void aComponentOfAnUnsupportedTypeIsAnIllegalArgumentNamingTheComponent() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            assertThatThrownBy(() -> types.register(WithAList.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("component 'names' of " + WithAList.class.getName())
                    .hasMessageContaining("java.util.List<java.lang.String>");
            assertThatThrownBy(() -> types.register(WithBooleans.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("component 'flags' of " + WithBooleans.class.getName())
                    .hasMessageContaining("boolean[]");
        }
    }
}
