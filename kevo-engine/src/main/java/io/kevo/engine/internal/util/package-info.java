/**
 * Small helpers shared by the engine's internals: reference counting, keys as messages show them.
 */
package io.kevo.engine.internal.util;
