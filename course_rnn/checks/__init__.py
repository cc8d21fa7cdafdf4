"""Self-graded exercises: checks that give a tutor's feedback, progress, and quiz questions.

Each check takes the student's function(s), prints one line for a pass, a short diagnosis for
a failure, or one line naming the function it waits for while that is still a stub; it never
raises, whatever the function does, and returns a :class:`~course_rnn.checks.results.Verdict`.
Results are right within one tolerance, :data:`RTOL`, whatever their precision.

Imported in IPython, the package also shortens what a cell stopped by a stub prints to one
line (:mod:`~course_rnn.checks.stubs`).
"""

from course_rnn.checks.architecture_checks import (
    check_classifier_forward,
    check_classifier_loss,
    check_generator_forward,
    check_generator_loss,
)
from course_rnn.checks.attention_checks import (
    check_additive_attention_backward,
    check_additive_attention_forward,
)
from course_rnn.checks.backward_checks import check_rnn_backward, check_rnn_step_backward
from course_rnn.checks.bidirectional_checks import check_bidirectional
from course_rnn.checks.clip_checks import check_clip_gradients
from course_rnn.checks.clip_in_place_checks import check_clip_grad_norm
from course_rnn.checks.clockwork_checks import check_clockwork_step
from course_rnn.checks.count_checks import (
    check_deep_rnn_param_count,
    check_rnn_param_count,
    check_shared_param_count,
    check_unshared_param_count,
)
from course_rnn.checks.decoding_checks import check_beam_search, check_greedy_decode
from course_rnn.checks.distance_checks import check_gradient_norms_by_distance
from course_rnn.checks.forward_checks import check_rnn_forward, check_rnn_step_forward
from course_rnn.checks.gated_checks import (
    check_gru_step_backward,
    check_gru_step_forward,
    check_lstm_step_backward,
    check_lstm_step_forward,
)
from course_rnn.checks.gradient_check_checks import check_gradient_check
from course_rnn.checks.output_checks import (
    check_output_backward,
    check_output_forward,
    check_softmax_cross_entropy,
)
from course_rnn.checks.outputs import RTOL
from course_rnn.checks.progress import progress
from course_rnn.checks.questions import quiz
from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.checks.results import Verdict
from course_rnn.checks.self_attention_checks import check_causal_self_attention
from course_rnn.checks.stubs import install
from course_rnn.checks.three_step_checks import check_three_step_gradients
from course_rnn.checks.training_checks import check_loss_and_gradients, check_train_one_pass

install()

__all__ = ["RTOL", "MultipleChoice", "NumericQuestion", "Verdict", "check_rnn_backward",
           "check_rnn_forward", "check_rnn_param_count", "check_rnn_step_backward",
           "check_rnn_step_forward", "check_shared_param_count", "check_three_step_gradients",
           "check_unshared_param_count", "progress", "quiz",
           # the character-model exercise
           "check_output_forward", "check_output_backward", "check_softmax_cross_entropy",
           "check_gradient_check", "check_clip_gradients", "check_loss_and_gradients",
           "check_train_one_pass",
           # the architectures exercise
           "check_classifier_forward", "check_classifier_loss", "check_generator_forward",
           "check_generator_loss",
           # the long-term dependency exercise
           "check_clip_grad_norm", "check_gradient_norms_by_distance",
           # the LSTM and GRU exercises
           "check_lstm_step_forward", "check_lstm_step_backward", "check_gru_step_forward",
           "check_gru_step_backward",
           # the attention exercise
           "check_additive_attention_forward", "check_additive_attention_backward",
           # the decoding exercise
           "check_greedy_decode", "check_beam_search",
           # the deep and bidirectional exercise
           "check_bidirectional", "check_deep_rnn_param_count",
           # the Beyond-the-LSTM exercise
           "check_clockwork_step", "check_causal_self_attention"]
