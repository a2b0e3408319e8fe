"""Real-Keras cross-check: rebuild extracted models in Keras and compare with the static pass.

Only this package imports TensorFlow, and only when verification is asked for.
"""
