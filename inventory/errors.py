"""The errors of the inventory package: a file that cannot be read or does not validate.

Its own module so the declarations depend on nothing of ours; the service and the command line
catch :class:`InventoryError` like any of their own errors.
"""


class InventoryError(Exception):
    """One or more inventory files are invalid.

    ``problems`` is a list of :class:`InventoryProblem`; ``str()`` prints one per line as
    ``file:line: field.path: message``.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InventoryProblem:
    """One problem in one file: where (file, line, field path) and what."""

    def __init__(self, file, line, path, message):
        self.file, self.line, self.path, self.message = file, line, path, message

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"

    def __repr__(self):
        return f"InventoryProblem({self!s})"
