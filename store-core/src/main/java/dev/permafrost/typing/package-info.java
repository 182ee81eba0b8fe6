/**
 * Internal glue between the store ({@code dev.permafrost.store}) and its type system
 * ({@code dev.permafrost.types}): the store creates each store's {@link dev.permafrost.types.Types}
 * through {@link dev.permafrost.typing.TypesBridge}, which keeps the constructor out of the API.
 *
 * <p>Thread rules: the factory is installed once, by a class initializer. No hot paths.
 */
package dev.permafrost.typing;
