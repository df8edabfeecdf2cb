"""Serving the atlas for a city: replicas behind nginx, sign-in for the editor, safe data updates (issue #21).

* :mod:`atlas.deploy.stack`     ``deploy/stack.toml`` (process groups, ports, proxy settings) and the
                                command line of one replica;
* :mod:`atlas.deploy.nginx`     the nginx configuration, from the templates in ``deploy/nginx/``;
* :mod:`atlas.deploy.systemd`   systemd units (system and user level), from ``deploy/systemd/``;
* :mod:`atlas.deploy.trust`     the editor's signed-in user, trusted only from the proxy;
* :mod:`atlas.deploy.publish`   copy-check-rename of a new database under running replicas;
* :mod:`atlas.deploy.local`     the run directory of a local stack (self-signed certificate, secret);
* :mod:`atlas.deploy.supervise` the local stack in the foreground (``scripts/serve-prod.sh``).

``python -m atlas.deploy --help`` lists the commands; docs/deploy.md is the guide. Nothing here
imports Streamlit: the replicas are separate processes started by command line.
"""
