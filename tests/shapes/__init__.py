import pytest

# The shared table tests assert in these modules: pytest explains their failures only when it rewrites them.
pytest.register_assert_rewrite("tests.shapes.helpers", "tests.shapes.tables")
