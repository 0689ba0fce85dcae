/**
 * The file set: {@link io.kevo.engine.internal.version.Version}s (immutable per-level lists of
 * tables, reference counted), the {@link io.kevo.engine.internal.version.VersionSet} that owns the
 * current one, and the manifest that makes every change durable before it is installed. A table's
 * file is deleted when the last version listing it is released, so readers and iterators never lose
 * a file under them.
 */
package io.kevo.engine.internal.version;
