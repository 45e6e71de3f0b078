/** Every Keelson module used as an application on the module path would use it. */
@NullMarked
package dev.keelson.modulepath;

import org.jspecify.annotations.NullMarked;
