"""Self-graded exercises: checks that give a tutor's feedback, progress, and quiz questions.

Each check takes the student's function(s), returns True or False, prints one line for a pass or
a short diagnosis for a failure, and never raises, whatever the function does.
"""

from course_rnn.checks.backward_checks import check_rnn_backward, check_rnn_step_backward
from course_rnn.checks.clip_checks import check_clip_gradients
from course_rnn.checks.forward_checks import check_rnn_forward, check_rnn_step_forward
from course_rnn.checks.gradient_check_checks import check_gradient_check
from course_rnn.checks.output_checks import (
    check_output_backward,
    check_output_forward,
    check_softmax_cross_entropy,
)
from course_rnn.checks.progress import progress
from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.checks.training_checks import check_loss_and_gradients, check_train_one_pass

__all__ = ["check_rnn_backward", "check_rnn_forward", "check_rnn_step_backward",
           "check_rnn_step_forward", "progress", "MultipleChoice", "NumericQuestion",
           # the character-model exercise
           "check_output_forward", "check_output_backward", "check_softmax_cross_entropy",
           "check_gradient_check", "check_clip_gradients", "check_loss_and_gradients",
           "check_train_one_pass"]
