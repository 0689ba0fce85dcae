/** Small concurrency helpers shared by the engine's internals. */
package io.kevo.engine.internal.util;
