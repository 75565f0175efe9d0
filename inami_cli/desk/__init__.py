"""The support desk (``inami desk``): a guided session of questions for staff on the phone.

``prompts`` holds the validators, the code completer and the questionary prompts;
``loop`` the menu, the four question handlers and how an answer is shown. The answers
themselves come from ``services.desk``. This package is imported only by the ``desk``
command (questionary and prompt_toolkit are not loaded by any other command).
"""
