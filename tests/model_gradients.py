"""One gradient check for the classifiers and taggers of course_rnn.models: the model's
backward pass of the softmax cross-entropy against central differences of that loss, for every
parameter of every module."""

import numpy as np

from course_rnn.gradcheck import numerical_gradient
from course_rnn.numpy.losses import softmax_cross_entropy


def assert_model_gradients(model, inputs, targets) -> None:
    def loss():
        return softmax_cross_entropy(model.forward(inputs), targets)[0]

    _, dlogits = softmax_cross_entropy(model.forward(inputs), targets)
    model.backward(dlogits)
    for module in model.modules:
        for name, param in module.params.items():
            numeric = numerical_gradient(loss, param, 1.0)  # the loss itself is the scalar
            np.testing.assert_allclose(module.grads[name], numeric, rtol=1e-5, atol=1e-8,
                                       err_msg=f"{type(module).__name__}.{name}")
