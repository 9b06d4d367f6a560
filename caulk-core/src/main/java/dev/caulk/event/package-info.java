/**
 * Events, the library's only way to speak: log lines and progress, delivered to an {@link
 * dev.caulk.event.EventListener}.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.event;

import org.jspecify.annotations.NullMarked;
