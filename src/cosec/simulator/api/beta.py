"""`/beta`: the simulator serves Graph v1.0 only; beta paths get a Graph JSON error.

Real Graph serves beta, so a client reaching here learns — in Graph's own error shape,
which SDKs parse — that the simulator does not, instead of an HTML/plain-text 404 that
SDKs report as a transport failure.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cosec.simulator.api.common import ApiError, RequestIdMiddleware, render_error


def beta_app() -> Starlette:
    async def not_served(request: Request) -> Response:
        return render_error(
            ApiError(
                400,
                "BadRequest",
                f"Resource not found for the segment 'beta/{request.path_params['rest']}': "
                "the simulator serves Microsoft Graph v1.0 only.",
            )
        )

    methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    app = Starlette(routes=[Route("/{rest:path}", not_served, methods=methods)])
    app.add_middleware(RequestIdMiddleware)
    return app
