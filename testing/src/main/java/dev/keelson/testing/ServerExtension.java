package dev.keelson.testing;

import java.lang.annotation.Annotation;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves a per-class view of a server ({@code V}) from the class's annotation {@code A}. The view
 * is made once per test class, on first use, and its scope is closed with the class.
 */
abstract class ServerExtension<A extends Annotation, V> implements ParameterResolver {

  private final Class<A> annotationType;
  private final Class<V> viewType;

  ServerExtension(Class<A> annotationType, Class<V> viewType) {
    this.annotationType = annotationType;
    this.viewType = viewType;
  }

  /** Makes the view for a test class; resources it acquires go into {@code scope}. */
  abstract V open(A annotation, TestScope scope);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == viewType;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    Class<?> testClass = classContext.getRequiredTestClass();
    A annotation =
        annotationOf(testClass)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        testClass.getName()
                            + " is not annotated @"
                            + annotationType.getSimpleName()));
    ExtensionContext.Store store =
        classContext.getStore(ExtensionContext.Namespace.create(getClass(), testClass));
    return store
        .getOrComputeIfAbsent(
            viewType, type -> opened(annotation, new TestScope(testClass)), Opened.class)
        .view();
  }

  private Opened opened(A annotation, TestScope scope) {
    try {
      return new Opened(open(annotation, scope), scope);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** The context of the test class, even when asked from a method's context. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /** The annotation on the class, its superclasses or, for a nested class, its outer classes. */
  private Optional<A> annotationOf(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<A> found = AnnotationSupport.findAnnotation(c, annotationType);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A view and what to release with it; JUnit closes it when the class's store closes. */
  private static final class Opened implements AutoCloseable {
    private final Object view;
    private final TestScope scope;

    Opened(Object view, TestScope scope) {
      this.view = view;
      this.scope = scope;
    }

    Object view() {
      return view;
    }

    @Override
    public void close() {
      scope.close();
    }
  }
}
