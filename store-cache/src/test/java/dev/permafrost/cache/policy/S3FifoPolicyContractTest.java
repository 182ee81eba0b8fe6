package dev.permafrost.cache.policy;

/** {@link EvictionPolicyContractTest} for {@link S3FifoPolicy}. */
class S3FifoPolicyContractTest extends EvictionPolicyContractTest {
    @Override
    EvictionPolicy<Integer> newPolicy(long capacity) {
        return new S3FifoPolicy<>(capacity);
    }
}
