package dev.permafrost.cache.policy;

/** {@link EvictionPolicyContractTest} for {@link LruPolicy}. */
class LruPolicyContractTest extends EvictionPolicyContractTest {
    @Override
    EvictionPolicy<Integer> newPolicy(long capacity) {
        return new LruPolicy<>(capacity);
    }
}
