"""Self-graded exercises: checks that give a tutor's feedback, progress, and quiz questions.

Each check takes the student's function(s), returns True or False, prints one line for a pass or
a short diagnosis for a failure, and never raises, whatever the function does.
"""

from course_rnn.checks.backward_checks import check_rnn_backward, check_rnn_step_backward
from course_rnn.checks.forward_checks import check_rnn_forward, check_rnn_step_forward
from course_rnn.checks.progress import progress
from course_rnn.checks.quiz import MultipleChoice, NumericQuestion

__all__ = ["check_rnn_backward", "check_rnn_forward", "check_rnn_step_backward",
           "check_rnn_step_forward", "progress", "MultipleChoice", "NumericQuestion"]
