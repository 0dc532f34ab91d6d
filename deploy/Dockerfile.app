# The app image (Python 3.11): the gateway, the action server, the dialer and the CRM's
# commands, one image, the command chosen by docker-compose.yml or deploy/k8s/.
#   docker build -f deploy/Dockerfile.app -t icbot-app .
# Not built on the project's machines (no Docker engine there): docs/deploy.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    ICBOT_VAR_DIR=/var/lib/icbot

WORKDIR /app

# The app env as `make envs` installs it (-r requirements/app.in -c requirements/app.lock),
# less app.in's "# tests and checks" section and what follows it (pytest, mypy, the
# browser, the benchmark's tools): a server needs none of them.
COPY requirements/app.in requirements/app.lock requirements/
RUN sed '/^# tests and checks/,$d' requirements/app.in > /tmp/runtime.in \
    && pip install -r /tmp/runtime.in -c requirements/app.lock \
    && rm /tmp/runtime.in

COPY alembic.ini ./
COPY crm_backend crm_backend
COPY channels channels
COPY actions actions
COPY launcher launcher
COPY data/scripts data/scripts

# ICBOT_VAR_DIR holds the generated secrets (suppression_key, ...): a volume, or the
# Secret deploy/k8s mounts there. Nothing runs as root.
RUN useradd --uid 10001 --create-home icbot \
    && mkdir -p /var/lib/icbot && chown icbot /var/lib/icbot
USER 10001

EXPOSE 8000 5055
# The gateway, as launcher/stack.py starts it, on every interface of the container.
CMD ["python", "-m", "uvicorn", "channels.app:create_app", "--factory", \
     "--host", "0.0.0.0", "--port", "8000", "--no-access-log", \
     "--timeout-graceful-shutdown", "3"]
