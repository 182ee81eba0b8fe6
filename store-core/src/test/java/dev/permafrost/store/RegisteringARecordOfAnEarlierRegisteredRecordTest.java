package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new record type whose components refer to a record registered by an earlier call
 * (register {@code Address}, then {@code Customer} with an {@code Address} field): laying out
 * the new type looked the nested type's id up among the types of the current call only, and
 * threw a {@link NullPointerException}.
 */
class RegisteringARecordOfAnEarlierRegisteredRecordTest {
    public record Address(String street, int number) {
    }

    public record Customer(int id, Address home, Address[] previous, Ref<Address> billing) {
    }

    @TempDir
    Path dir;

    @Test
    void aRecordWhoseComponentsReferToAnEarlierRegisteredRecordRegistersInsteadOfThrowingNullPointerException() {
        Path path = dir.resolve("s.pf");
        long customer;
        try (Store store = Store.create(path, 1 << 20)) {
            RecordType<Address> addresses = store.types().register(Address.class);
            Ref<Address> billing = addresses.write(new Address("Billing Rd", 9));
            RecordType<Customer> customers = store.types().register(Customer.class);
            assertThat(customers.info().field("home").referencedTypeId()).isEqualTo(addresses.typeId());
            assertThat(customers.info().field("previous").elementTypeId()).isEqualTo(addresses.typeId());
            assertThat(customers.info().field("billing").referencedTypeId()).isEqualTo(addresses.typeId());
            customer = customers.write(new Customer(1, new Address("Main St", 5), new Address[] {new Address("Old Rd", 1)},
                    billing)).offset();
            store.types().adoptRoot("customer", Ref.to(customer));
            store.types().adoptRoot("billing", billing);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) { // the stored layout names the earlier type's id
            RecordType<Customer> customers = store.types().register(Customer.class);
            Customer read = customers.read(store.types().root("customer", customers).orElseThrow());
            assertThat(read.home()).isEqualTo(new Address("Main St", 5));
            assertThat(read.previous()).containsExactly(new Address("Old Rd", 1));
            assertThat(store.types().register(Address.class).read(read.billing())).isEqualTo(new Address("Billing Rd", 9));
        }
    }
}
